package render

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// locale is one supported language: its fixed text and how it writes
// dates.
type locale struct {
	tag    language.Tag
	dir    string
	labels Labels
	months [12]string
	// date writes day, month name and year.
	date func(day int, month string, year int) string
	// digits, when set, are the language's ten digits (Arabic-Indic).
	digits []rune
	// types are the achievement types in words, by OB 3.0 enumeration.
	types map[string]string
	// statuses are the result statuses in words.
	statuses map[string]string
}

// locales are the languages certificates are written in; the first is the
// fallback.
var locales = []*locale{
	{
		tag: language.English, dir: "ltr",
		labels: Labels{
			Certificate: "Certificate", Endorsement: "Endorsement",
			Awarded: "This certifies that", HasEarned: "has earned", Earned: "Awarded",
			IssuedBy: "Issued by", IssuedOn: "Issued on",
			ValidFrom: "Valid from", ValidUntil: "Valid until",
			Criteria: "Criteria", Results: "Results", Credits: "Credits",
			Evidence: "Evidence", Skills: "Skills", Endorses: "endorses", Comment: "Comment",
			Verify:       "Verify this certificate",
			VerifyHint:   "Scan the code or open the link to check that it is genuine.",
			CredentialID: "Credential ID", Share: "Share", AddLinkedIn: "Add to LinkedIn",
			ShareText: "I earned %s from %s.",
			QRAlt:     "QR code linking to the verification page", LogoAlt: "Logo of %s", SignatureAlt: "Signature of %s",
			Details: "Details",
		},
		months: [12]string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"},
		date: func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) },
		types: map[string]string{
			"Achievement": "Achievement", "ApprenticeshipCertificate": "Apprenticeship certificate",
			"Assessment": "Assessment", "Assignment": "Assignment", "AssociateDegree": "Associate degree",
			"Award": "Award", "Badge": "Badge", "BachelorDegree": "Bachelor's degree",
			"Certificate": "Certificate", "CertificateOfCompletion": "Certificate of completion",
			"Certification": "Certification", "CommunityService": "Community service",
			"Competency": "Competency", "Course": "Course", "CoCurricular": "Co-curricular activity",
			"Degree": "Degree", "Diploma": "Diploma", "DoctoralDegree": "Doctoral degree",
			"Fieldwork": "Fieldwork", "GeneralEducationDevelopment": "General education development",
			"JourneymanCertificate": "Journeyman certificate", "LearningProgram": "Learning program",
			"License": "License", "Membership": "Membership", "ProfessionalDoctorate": "Professional doctorate",
			"QualityAssuranceCredential": "Quality assurance credential", "MasterCertificate": "Master certificate",
			"MasterDegree": "Master's degree", "MicroCredential": "Micro-credential",
			"ResearchDoctorate": "Research doctorate", "SecondarySchoolDiploma": "Secondary school diploma",
		},
		statuses: map[string]string{"Completed": "Completed", "Enrolled": "Enrolled",
			"Failed": "Failed", "InProgress": "In progress", "OnHold": "On hold",
			"Provisional": "Provisional", "Withdrew": "Withdrew"},
	},
	{
		tag: language.Spanish, dir: "ltr",
		labels: Labels{
			Certificate: "Certificado", Endorsement: "Aval",
			Awarded: "Se certifica que", HasEarned: "ha obtenido", Earned: "Otorgado",
			IssuedBy: "Emitido por", IssuedOn: "Emitido el",
			ValidFrom: "Válido desde", ValidUntil: "Válido hasta",
			Criteria: "Criterios", Results: "Resultados", Credits: "Créditos",
			Evidence: "Evidencias", Skills: "Competencias", Endorses: "avala", Comment: "Comentario",
			Verify:       "Verificar este certificado",
			VerifyHint:   "Escanee el código o abra el enlace para comprobar que es auténtico.",
			CredentialID: "ID de la credencial", Share: "Compartir", AddLinkedIn: "Añadir a LinkedIn",
			ShareText: "He obtenido %s de %s.",
			QRAlt:     "Código QR que enlaza con la página de verificación", LogoAlt: "Logotipo de %s", SignatureAlt: "Firma de %s",
			Details: "Detalles",
		},
		months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
			"agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		date: func(d int, m string, y int) string { return fmt.Sprintf("%d de %s de %d", d, m, y) },
		types: map[string]string{"Badge": "Insignia", "Certificate": "Certificado",
			"Certification": "Certificación", "Course": "Curso", "Diploma": "Diploma",
			"Degree": "Título", "MicroCredential": "Microcredencial", "Award": "Premio",
			"CertificateOfCompletion": "Certificado de finalización", "License": "Licencia",
			"Competency": "Competencia", "Achievement": "Logro"},
		statuses: map[string]string{"Completed": "Completado", "Enrolled": "Matriculado",
			"Failed": "No superado", "InProgress": "En curso", "OnHold": "En pausa",
			"Provisional": "Provisional", "Withdrew": "Retirado"},
	},
	{
		tag: language.French, dir: "ltr",
		labels: Labels{
			Certificate: "Certificat", Endorsement: "Recommandation",
			Awarded: "Nous certifions que", HasEarned: "a obtenu", Earned: "Décerné",
			IssuedBy: "Délivré par", IssuedOn: "Délivré le",
			ValidFrom: "Valable à partir du", ValidUntil: "Valable jusqu’au",
			Criteria: "Critères", Results: "Résultats", Credits: "Crédits",
			Evidence: "Preuves", Skills: "Compétences", Endorses: "recommande", Comment: "Commentaire",
			Verify:       "Vérifier ce certificat",
			VerifyHint:   "Scannez le code ou ouvrez le lien pour vérifier son authenticité.",
			CredentialID: "Identifiant du justificatif", Share: "Partager", AddLinkedIn: "Ajouter à LinkedIn",
			ShareText: "J’ai obtenu %s délivré par %s.",
			QRAlt:     "Code QR menant à la page de vérification", LogoAlt: "Logo de %s", SignatureAlt: "Signature de %s",
			Details: "Détails",
		},
		months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
			"août", "septembre", "octobre", "novembre", "décembre"},
		date: func(d int, m string, y int) string {
			if d == 1 {
				return fmt.Sprintf("1er %s %d", m, y)
			}
			return fmt.Sprintf("%d %s %d", d, m, y)
		},
		types: map[string]string{"Badge": "Badge", "Certificate": "Certificat",
			"Certification": "Certification", "Course": "Cours", "Diploma": "Diplôme",
			"Degree": "Diplôme", "MicroCredential": "Microcertification", "Award": "Prix",
			"CertificateOfCompletion": "Attestation de réussite", "License": "Licence",
			"Competency": "Compétence", "Achievement": "Réussite"},
		statuses: map[string]string{"Completed": "Terminé", "Enrolled": "Inscrit",
			"Failed": "Échoué", "InProgress": "En cours", "OnHold": "En attente",
			"Provisional": "Provisoire", "Withdrew": "Abandonné"},
	},
	{
		tag: language.German, dir: "ltr",
		labels: Labels{
			Certificate: "Zertifikat", Endorsement: "Empfehlung",
			Awarded: "Hiermit wird bestätigt, dass", HasEarned: "erworben hat:", Earned: "Verliehen",
			IssuedBy: "Ausgestellt von", IssuedOn: "Ausgestellt am",
			ValidFrom: "Gültig ab", ValidUntil: "Gültig bis",
			Criteria: "Kriterien", Results: "Ergebnisse", Credits: "Leistungspunkte",
			Evidence: "Nachweise", Skills: "Kompetenzen", Endorses: "empfiehlt", Comment: "Kommentar",
			Verify:       "Dieses Zertifikat prüfen",
			VerifyHint:   "Scannen Sie den Code oder öffnen Sie den Link, um die Echtheit zu prüfen.",
			CredentialID: "Nachweis-ID", Share: "Teilen", AddLinkedIn: "Zu LinkedIn hinzufügen",
			ShareText: "Ich habe %s von %s erhalten.",
			QRAlt:     "QR-Code, der zur Prüfseite führt", LogoAlt: "Logo von %s", SignatureAlt: "Unterschrift von %s",
			Details: "Einzelheiten",
		},
		months: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
			"August", "September", "Oktober", "November", "Dezember"},
		date: func(d int, m string, y int) string { return fmt.Sprintf("%d. %s %d", d, m, y) },
		types: map[string]string{"Badge": "Abzeichen", "Certificate": "Zertifikat",
			"Certification": "Zertifizierung", "Course": "Kurs", "Diploma": "Diplom",
			"Degree": "Abschluss", "MicroCredential": "Microcredential", "Award": "Auszeichnung",
			"CertificateOfCompletion": "Teilnahmebescheinigung", "License": "Lizenz",
			"Competency": "Kompetenz", "Achievement": "Leistung"},
		statuses: map[string]string{"Completed": "Abgeschlossen", "Enrolled": "Eingeschrieben",
			"Failed": "Nicht bestanden", "InProgress": "Laufend", "OnHold": "Pausiert",
			"Provisional": "Vorläufig", "Withdrew": "Zurückgetreten"},
	},
	{
		tag: language.Arabic, dir: "rtl",
		labels: Labels{
			Certificate: "شهادة", Endorsement: "تزكية",
			Awarded: "نشهد بأن", HasEarned: "قد حصل على", Earned: "مُنحت",
			IssuedBy: "صادرة عن", IssuedOn: "تاريخ الإصدار",
			ValidFrom: "صالحة من", ValidUntil: "صالحة حتى",
			Criteria: "المعايير", Results: "النتائج", Credits: "الساعات المعتمدة",
			Evidence: "الأدلة", Skills: "المهارات", Endorses: "يزكّي", Comment: "تعليق",
			Verify:       "تحقق من هذه الشهادة",
			VerifyHint:   "امسح الرمز أو افتح الرابط للتأكد من أنها أصلية.",
			CredentialID: "معرّف الشهادة", Share: "مشاركة", AddLinkedIn: "إضافة إلى LinkedIn",
			ShareText: "حصلت على %s من %s.",
			QRAlt:     "رمز QR يؤدي إلى صفحة التحقق", LogoAlt: "شعار %s", SignatureAlt: "توقيع %s",
			Details: "التفاصيل",
		},
		months: [12]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو",
			"أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
		date:   func(d int, m string, y int) string { return fmt.Sprintf("%d %s %d", d, m, y) },
		digits: []rune("٠١٢٣٤٥٦٧٨٩"),
		types: map[string]string{"Badge": "شارة", "Certificate": "شهادة",
			"Certification": "شهادة اعتماد", "Course": "مقرر", "Diploma": "دبلوم",
			"Degree": "درجة علمية", "MicroCredential": "شهادة مصغرة", "Award": "جائزة",
			"CertificateOfCompletion": "شهادة إتمام", "License": "رخصة",
			"Competency": "كفاءة", "Achievement": "إنجاز"},
		statuses: map[string]string{"Completed": "مكتمل", "Enrolled": "مسجل",
			"Failed": "راسب", "InProgress": "قيد التقدم", "OnHold": "معلّق",
			"Provisional": "مؤقت", "Withdrew": "منسحب"},
	},
	{
		tag: language.Chinese, dir: "ltr",
		labels: Labels{
			Certificate: "证书", Endorsement: "认可",
			Awarded: "兹证明", HasEarned: "已获得", Earned: "授予",
			IssuedBy: "颁发机构", IssuedOn: "颁发日期",
			ValidFrom: "生效日期", ValidUntil: "有效期至",
			Criteria: "标准", Results: "成绩", Credits: "学分",
			Evidence: "证明材料", Skills: "技能", Endorses: "认可", Comment: "评语",
			Verify:       "验证此证书",
			VerifyHint:   "扫描二维码或打开链接以核实其真实性。",
			CredentialID: "证书编号", Share: "分享", AddLinkedIn: "添加到 LinkedIn",
			ShareText: "我获得了%s颁发的%s。",
			QRAlt:     "链接到验证页面的二维码", LogoAlt: "%s的标志", SignatureAlt: "%s的签名",
			Details: "详情",
		},
		months: [12]string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"},
		date:   func(d int, m string, y int) string { return fmt.Sprintf("%d年%s月%d日", y, m, d) },
		types: map[string]string{"Badge": "徽章", "Certificate": "证书",
			"Certification": "认证", "Course": "课程", "Diploma": "文凭",
			"Degree": "学位", "MicroCredential": "微证书", "Award": "奖项",
			"CertificateOfCompletion": "结业证书", "License": "执照",
			"Competency": "能力", "Achievement": "成就"},
		statuses: map[string]string{"Completed": "已完成", "Enrolled": "已注册",
			"Failed": "未通过", "InProgress": "进行中", "OnHold": "暂停",
			"Provisional": "临时", "Withdrew": "已退出"},
	},
}

// matcher picks the closest supported language.
var matcher = language.NewMatcher(func() []language.Tag {
	tags := make([]language.Tag, len(locales))
	for i, l := range locales {
		tags[i] = l.tag
	}
	return tags
}())

// Languages returns the BCP 47 tags of the languages certificates are
// written in.
func Languages() []string {
	out := make([]string, len(locales))
	for i, l := range locales {
		out[i] = l.tag.String()
	}
	return out
}

// pickLocale returns the supported language closest to the first of
// wants that names one, and whether any did; English when none does.
func pickLocale(wants ...string) (*locale, bool) {
	for _, w := range wants {
		if w == "" {
			continue
		}
		t, err := language.Parse(w)
		if err != nil {
			continue
		}
		_, i, conf := matcher.Match(t)
		if conf == language.No {
			continue
		}
		return locales[i], true
	}
	return locales[0], false
}

// formatDate writes t's date (in UTC, the day the credential names) in
// the locale's words and digits.
func (l *locale) formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	return l.localDigits(l.date(t.Day(), l.months[t.Month()-1], t.Year()))
}

// formatNumber writes a decimal number (as the credential writes it) with
// the locale's separators and digits; text that is not a number is
// returned as it is.
func (l *locale) formatNumber(s string) string {
	if s == "" {
		return ""
	}
	var f float64
	if _, err := fmt.Sscanf(s, "%g", &f); err != nil || strings.ContainsAny(s, " \t") {
		return s
	}
	scale := 0
	if i := strings.IndexByte(s, '.'); i >= 0 && !strings.ContainsAny(s, "eE") {
		scale = len(s) - i - 1
	}
	p := message.NewPrinter(l.tag)
	return l.localDigits(p.Sprint(number.Decimal(f, number.Scale(scale))))
}

// localDigits replaces ASCII digits with the locale's own.
func (l *locale) localDigits(s string) string {
	if l.digits == nil {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return l.digits[r-'0']
		}
		return r
	}, s)
}

// rtlLanguages are the base languages written right to left.
var rtlLanguages = map[string]bool{"ar": true, "he": true, "fa": true, "ur": true, "ps": true,
	"sd": true, "ug": true, "yi": true, "dv": true, "ckb": true}

// autoDir returns "rtl" when the first strongly directional character
// of s is of a right-to-left script, else "ltr".
func autoDir(s string) string {
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko):
			return "rtl"
		case unicode.IsLetter(r):
			return "ltr"
		}
	}
	return "ltr"
}

// direction returns "rtl" for a language written right to left.
func direction(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return "ltr"
	}
	b, _ := t.Base()
	if rtlLanguages[b.String()] {
		return "rtl"
	}
	return "ltr"
}
