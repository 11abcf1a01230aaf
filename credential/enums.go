package credential

import (
	"regexp"
	"slices"
)

// extTerm matches the spec's extension form for extensible enumerations: a
// term starting with "ext:". The 1EdTech schema writes the rest as
// [a-z|A-Z|0-9|.|-|_]+ (unanchored, and its "|-|" is a range that leaves the
// hyphen out); we take the evident intent: letters, digits, '.', '-', '_'.
var extTerm = regexp.MustCompile(`^ext:[A-Za-z0-9._-]+$`)

// IsExtension reports whether term uses the "ext:" extension form that the
// extensible OB 3.0 enumerations allow.
func IsExtension(term string) bool { return extTerm.MatchString(term) }

// AchievementType is the type of an achievement, such as Badge or
// Certificate (the AchievementType enumeration). The vocabulary is
// extensible with terms that start with "ext:".
type AchievementType string

// The AchievementType terms of OB 3.0.
const (
	AchievementTypeAchievement                 AchievementType = "Achievement"
	AchievementTypeApprenticeshipCertificate   AchievementType = "ApprenticeshipCertificate"
	AchievementTypeAssessment                  AchievementType = "Assessment"
	AchievementTypeAssignment                  AchievementType = "Assignment"
	AchievementTypeAssociateDegree             AchievementType = "AssociateDegree"
	AchievementTypeAward                       AchievementType = "Award"
	AchievementTypeBadge                       AchievementType = "Badge"
	AchievementTypeBachelorDegree              AchievementType = "BachelorDegree"
	AchievementTypeCertificate                 AchievementType = "Certificate"
	AchievementTypeCertificateOfCompletion     AchievementType = "CertificateOfCompletion"
	AchievementTypeCertification               AchievementType = "Certification"
	AchievementTypeCommunityService            AchievementType = "CommunityService"
	AchievementTypeCompetency                  AchievementType = "Competency"
	AchievementTypeCourse                      AchievementType = "Course"
	AchievementTypeCoCurricular                AchievementType = "CoCurricular"
	AchievementTypeDegree                      AchievementType = "Degree"
	AchievementTypeDiploma                     AchievementType = "Diploma"
	AchievementTypeDoctoralDegree              AchievementType = "DoctoralDegree"
	AchievementTypeFieldwork                   AchievementType = "Fieldwork"
	AchievementTypeGeneralEducationDevelopment AchievementType = "GeneralEducationDevelopment"
	AchievementTypeJourneymanCertificate       AchievementType = "JourneymanCertificate"
	AchievementTypeLearningProgram             AchievementType = "LearningProgram"
	AchievementTypeLicense                     AchievementType = "License"
	AchievementTypeMembership                  AchievementType = "Membership"
	AchievementTypeProfessionalDoctorate       AchievementType = "ProfessionalDoctorate"
	AchievementTypeQualityAssuranceCredential  AchievementType = "QualityAssuranceCredential"
	AchievementTypeMasterCertificate           AchievementType = "MasterCertificate"
	AchievementTypeMasterDegree                AchievementType = "MasterDegree"
	AchievementTypeMicroCredential             AchievementType = "MicroCredential"
	AchievementTypeResearchDoctorate           AchievementType = "ResearchDoctorate"
	AchievementTypeSecondarySchoolDiploma      AchievementType = "SecondarySchoolDiploma"
)

var achievementTypes = []AchievementType{
	AchievementTypeAchievement, AchievementTypeApprenticeshipCertificate, AchievementTypeAssessment,
	AchievementTypeAssignment, AchievementTypeAssociateDegree, AchievementTypeAward, AchievementTypeBadge,
	AchievementTypeBachelorDegree, AchievementTypeCertificate, AchievementTypeCertificateOfCompletion,
	AchievementTypeCertification, AchievementTypeCommunityService, AchievementTypeCompetency,
	AchievementTypeCourse, AchievementTypeCoCurricular, AchievementTypeDegree, AchievementTypeDiploma,
	AchievementTypeDoctoralDegree, AchievementTypeFieldwork, AchievementTypeGeneralEducationDevelopment,
	AchievementTypeJourneymanCertificate, AchievementTypeLearningProgram, AchievementTypeLicense,
	AchievementTypeMembership, AchievementTypeProfessionalDoctorate, AchievementTypeQualityAssuranceCredential,
	AchievementTypeMasterCertificate, AchievementTypeMasterDegree, AchievementTypeMicroCredential,
	AchievementTypeResearchDoctorate, AchievementTypeSecondarySchoolDiploma,
}

// Valid reports whether t is a term of the enumeration or an "ext:" term.
func (t AchievementType) Valid() bool {
	return slices.Contains(achievementTypes, t) || IsExtension(string(t))
}

// AlignmentTargetType is the type of an alignment's target node (the
// AlignmentTargetType enumeration), extensible with "ext:" terms.
type AlignmentTargetType string

// The AlignmentTargetType terms of OB 3.0.
const (
	AlignmentTargetCeasnCompetency        AlignmentTargetType = "ceasn:Competency"
	AlignmentTargetCetermsCredential      AlignmentTargetType = "ceterms:Credential"
	AlignmentTargetCFItem                 AlignmentTargetType = "CFItem"
	AlignmentTargetCFRubric               AlignmentTargetType = "CFRubric"
	AlignmentTargetCFRubricCriterion      AlignmentTargetType = "CFRubricCriterion"
	AlignmentTargetCFRubricCriterionLevel AlignmentTargetType = "CFRubricCriterionLevel"
	AlignmentTargetCTDL                   AlignmentTargetType = "CTDL"
)

var alignmentTargetTypes = []AlignmentTargetType{
	AlignmentTargetCeasnCompetency, AlignmentTargetCetermsCredential, AlignmentTargetCFItem,
	AlignmentTargetCFRubric, AlignmentTargetCFRubricCriterion, AlignmentTargetCFRubricCriterionLevel,
	AlignmentTargetCTDL,
}

// Valid reports whether t is a term of the enumeration or an "ext:" term.
func (t AlignmentTargetType) Valid() bool {
	return slices.Contains(alignmentTargetTypes, t) || IsExtension(string(t))
}

// ResultType is the kind of result a ResultDescription describes (the
// ResultType enumeration), extensible with "ext:" terms.
type ResultType string

// The ResultType terms of OB 3.0.
const (
	ResultTypeGradePointAverage    ResultType = "GradePointAverage"
	ResultTypeLetterGrade          ResultType = "LetterGrade"
	ResultTypePercent              ResultType = "Percent"
	ResultTypePerformanceLevel     ResultType = "PerformanceLevel"
	ResultTypePredictedScore       ResultType = "PredictedScore"
	ResultTypeRawScore             ResultType = "RawScore"
	ResultTypeResult               ResultType = "Result"
	ResultTypeRubricCriterion      ResultType = "RubricCriterion"
	ResultTypeRubricCriterionLevel ResultType = "RubricCriterionLevel"
	ResultTypeRubricScore          ResultType = "RubricScore"
	ResultTypeScaledScore          ResultType = "ScaledScore"
	ResultTypeStatus               ResultType = "Status"
)

var resultTypes = []ResultType{
	ResultTypeGradePointAverage, ResultTypeLetterGrade, ResultTypePercent, ResultTypePerformanceLevel,
	ResultTypePredictedScore, ResultTypeRawScore, ResultTypeResult, ResultTypeRubricCriterion,
	ResultTypeRubricCriterionLevel, ResultTypeRubricScore, ResultTypeScaledScore, ResultTypeStatus,
}

// Valid reports whether t is a term of the enumeration or an "ext:" term.
func (t ResultType) Valid() bool {
	return slices.Contains(resultTypes, t) || IsExtension(string(t))
}

// ResultStatusType is the status of an achievement in a Result (the
// ResultStatusType enumeration). Unlike the other OB 3.0 enumerations it is
// closed: the spec gives it no "ext:" form and the 1EdTech JSON Schema
// allows only these seven terms, so an "ext:" status is invalid.
type ResultStatusType string

// The ResultStatusType terms of OB 3.0.
const (
	ResultStatusCompleted   ResultStatusType = "Completed"
	ResultStatusEnrolled    ResultStatusType = "Enrolled"
	ResultStatusFailed      ResultStatusType = "Failed"
	ResultStatusInProgress  ResultStatusType = "InProgress"
	ResultStatusOnHold      ResultStatusType = "OnHold"
	ResultStatusProvisional ResultStatusType = "Provisional"
	ResultStatusWithdrew    ResultStatusType = "Withdrew"
)

var resultStatusTypes = []ResultStatusType{
	ResultStatusCompleted, ResultStatusEnrolled, ResultStatusFailed, ResultStatusInProgress,
	ResultStatusOnHold, ResultStatusProvisional, ResultStatusWithdrew,
}

// Valid reports whether t is one of the seven terms.
func (t ResultStatusType) Valid() bool { return slices.Contains(resultStatusTypes, t) }

// IdentifierType is the kind of an identifier in an IdentityObject or
// IdentifierEntry (the IdentifierTypeEnum enumeration), extensible with
// "ext:" terms.
type IdentifierType string

// The IdentifierTypeEnum terms of OB 3.0.
const (
	IdentifierTypeName                   IdentifierType = "name"
	IdentifierTypeSourcedID              IdentifierType = "sourcedId"
	IdentifierTypeSystemID               IdentifierType = "systemId"
	IdentifierTypeProductID              IdentifierType = "productId"
	IdentifierTypeUserName               IdentifierType = "userName"
	IdentifierTypeAccountID              IdentifierType = "accountId"
	IdentifierTypeEmailAddress           IdentifierType = "emailAddress"
	IdentifierTypeNationalIdentityNumber IdentifierType = "nationalIdentityNumber"
	IdentifierTypeISBN                   IdentifierType = "isbn"
	IdentifierTypeISSN                   IdentifierType = "issn"
	IdentifierTypeLisSourcedID           IdentifierType = "lisSourcedId"
	IdentifierTypeOneRosterSourcedID     IdentifierType = "oneRosterSourcedId"
	IdentifierTypeSisSourcedID           IdentifierType = "sisSourcedId"
	IdentifierTypeLtiContextID           IdentifierType = "ltiContextId"
	IdentifierTypeLtiDeploymentID        IdentifierType = "ltiDeploymentId"
	IdentifierTypeLtiToolID              IdentifierType = "ltiToolId"
	IdentifierTypeLtiPlatformID          IdentifierType = "ltiPlatformId"
	IdentifierTypeLtiUserID              IdentifierType = "ltiUserId"
	IdentifierTypeIdentifier             IdentifierType = "identifier"
)

var identifierTypes = []IdentifierType{
	IdentifierTypeName, IdentifierTypeSourcedID, IdentifierTypeSystemID, IdentifierTypeProductID,
	IdentifierTypeUserName, IdentifierTypeAccountID, IdentifierTypeEmailAddress,
	IdentifierTypeNationalIdentityNumber, IdentifierTypeISBN, IdentifierTypeISSN,
	IdentifierTypeLisSourcedID, IdentifierTypeOneRosterSourcedID, IdentifierTypeSisSourcedID,
	IdentifierTypeLtiContextID, IdentifierTypeLtiDeploymentID, IdentifierTypeLtiToolID,
	IdentifierTypeLtiPlatformID, IdentifierTypeLtiUserID, IdentifierTypeIdentifier,
}

// Valid reports whether t is a term of the enumeration or an "ext:" term.
func (t IdentifierType) Valid() bool {
	return slices.Contains(identifierTypes, t) || IsExtension(string(t))
}
