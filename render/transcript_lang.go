package render

// TranscriptLabels is the fixed text of a transcript page in one
// language, beyond a certificate's Labels.
type TranscriptLabels struct {
	Transcript   string // "Comprehensive Learner Record"
	Learner      string // "Learner"
	Achievements string // "Achievements"
	Achievement  string // "Achievement" (a column)
	Type         string // "Type"
	AwardedBy    string // "Awarded by"
	Date         string // "Date"
	Listed       string // "Listed in the record" (an achievement without a credential)
	Associations string // "How the achievements relate"
	Partial      string // "This record holds only part of the learner's achievements."
	Omitted      string // "%d more credentials in the record are not shown." (a fmt format)
	Verify       string // "Verify this record"
	// Relations are the CLR 2.0 association types in words, read "source
	// <relation> target".
	Relations map[string]string
}

// transcriptLabels are the transcript words of each language of locales,
// by its tag.
var transcriptLabels = map[string]TranscriptLabels{
	"en": {
		Transcript: "Comprehensive Learner Record", Learner: "Learner", Achievements: "Achievements",
		Achievement: "Achievement", Type: "Type", AwardedBy: "Awarded by", Date: "Date",
		Listed: "Listed in the record", Associations: "How the achievements relate",
		Partial: "This record holds only part of the learner's achievements.",
		Omitted: "%d more credentials in the record are not shown.",
		Verify:  "Verify this record",
		Relations: map[string]string{
			"exactMatchOf": "is an exact match of", "isChildOf": "is a child of", "isParentOf": "is the parent of",
			"isPartOf": "is part of", "isPeerOf": "is a peer of", "isRelatedTo": "is related to",
			"precedes": "comes before", "replacedBy": "is replaced by",
		},
	},
	"es": {
		Transcript: "Expediente académico completo", Learner: "Estudiante", Achievements: "Logros",
		Achievement: "Logro", Type: "Tipo", AwardedBy: "Otorgado por", Date: "Fecha",
		Listed: "Incluido en el expediente", Associations: "Relación entre los logros",
		Partial: "Este expediente contiene solo parte de los logros del estudiante.",
		Omitted: "No se muestran otras %d credenciales del expediente.",
		Verify:  "Verificar este expediente",
		Relations: map[string]string{
			"exactMatchOf": "equivale exactamente a", "isChildOf": "depende de", "isParentOf": "abarca",
			"isPartOf": "forma parte de", "isPeerOf": "está al mismo nivel que", "isRelatedTo": "está relacionado con",
			"precedes": "precede a", "replacedBy": "ha sido sustituido por",
		},
	},
	"fr": {
		Transcript: "Relevé complet des acquis", Learner: "Apprenant", Achievements: "Acquis",
		Achievement: "Acquis", Type: "Type", AwardedBy: "Décerné par", Date: "Date",
		Listed: "Mentionné dans le relevé", Associations: "Liens entre les acquis",
		Partial: "Ce relevé ne contient qu’une partie des acquis de l’apprenant.",
		Omitted: "%d autres justificatifs du relevé ne sont pas affichés.",
		Verify:  "Vérifier ce relevé",
		Relations: map[string]string{
			"exactMatchOf": "correspond exactement à", "isChildOf": "relève de", "isParentOf": "englobe",
			"isPartOf": "fait partie de", "isPeerOf": "est au même niveau que", "isRelatedTo": "est lié à",
			"precedes": "précède", "replacedBy": "est remplacé par",
		},
	},
	"de": {
		Transcript: "Umfassender Leistungsnachweis", Learner: "Lernende Person", Achievements: "Leistungen",
		Achievement: "Leistung", Type: "Art", AwardedBy: "Verliehen von", Date: "Datum",
		Listed: "Im Nachweis aufgeführt", Associations: "Beziehungen zwischen den Leistungen",
		Partial: "Dieser Nachweis enthält nur einen Teil der Leistungen der lernenden Person.",
		Omitted: "%d weitere Nachweise dieses Dokuments werden nicht angezeigt.",
		Verify:  "Diesen Nachweis prüfen",
		Relations: map[string]string{
			"exactMatchOf": "entspricht genau", "isChildOf": "ist untergeordnet unter", "isParentOf": "ist übergeordnet über",
			"isPartOf": "ist Teil von", "isPeerOf": "ist gleichrangig mit", "isRelatedTo": "steht in Beziehung zu",
			"precedes": "kommt vor", "replacedBy": "wird ersetzt durch",
		},
	},
	"ar": {
		Transcript: "السجل الشامل للمتعلم", Learner: "المتعلم", Achievements: "الإنجازات",
		Achievement: "الإنجاز", Type: "النوع", AwardedBy: "الجهة المانحة", Date: "التاريخ",
		Listed: "مدرج في السجل", Associations: "العلاقات بين الإنجازات",
		Partial: "يتضمن هذا السجل جزءًا فقط من إنجازات المتعلم.",
		Omitted: "لا يتم عرض %d من الشهادات الأخرى في السجل.",
		Verify:  "تحقق من هذا السجل",
		Relations: map[string]string{
			"exactMatchOf": "يطابق تمامًا", "isChildOf": "يتفرع من", "isParentOf": "يتفرع منه",
			"isPartOf": "جزء من", "isPeerOf": "نظير لـ", "isRelatedTo": "مرتبط بـ",
			"precedes": "يسبق", "replacedBy": "حل محله",
		},
	},
	"zh": {
		Transcript: "综合学习记录", Learner: "学习者", Achievements: "成就",
		Achievement: "成就", Type: "类型", AwardedBy: "授予机构", Date: "日期",
		Listed: "记录中列出", Associations: "成就之间的关系",
		Partial: "本记录仅包含学习者的部分成就。",
		Omitted: "记录中另有 %d 项证书未显示。",
		Verify:  "验证此记录",
		Relations: map[string]string{
			"exactMatchOf": "完全等同于", "isChildOf": "隶属于", "isParentOf": "包含",
			"isPartOf": "是以下内容的一部分：", "isPeerOf": "与以下内容同级：", "isRelatedTo": "相关于",
			"precedes": "先于", "replacedBy": "已被以下内容取代：",
		},
	},
}

// transcriptWords returns the transcript words of loc's language, or
// English's.
func transcriptWords(loc *locale) TranscriptLabels {
	if w, ok := transcriptLabels[loc.tag.String()]; ok {
		return w
	}
	return transcriptLabels["en"]
}
