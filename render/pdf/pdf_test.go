package pdf

import (
	"bytes"
	"encoding/base64"
	"errors"
	"github.com/go-openbadges/openbadges/render"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The PDF tests read what writePDF writes with the tools people use:
// poppler (pdfinfo, pdffonts, pdftotext, pdfdetach, pdftoppm) and zbar
// (zbarimg) for the QR code. Set OPENBADGES_PDF_PNG to a directory to
// keep the rendered pages there and look at them.

// pdfTool finds a command line tool, or skips the test (fails it when
// OPENBADGES_CI=1).
func pdfTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("OPENBADGES_CI") == "1" {
			t.Fatalf("%s is missing: apt-get install %s", name, pkg)
		}
		t.Skipf("%s is missing: apt-get install %s", name, pkg)
	}
	return p
}

// pdfRun runs a tool and returns its standard output.
func pdfRun(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// pdfTestQR makes the QR code of text as the builder does.
func pdfTestQR(t testing.TB, text string) *render.QR {
	t.Helper()
	q, err := render.NewQR(text)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// pdfTestPNG draws a w×h PNG: a disc in c on transparent, or a stroke.
func pdfTestPNG(t testing.TB, w, h int, c color.RGBA, stroke bool) *render.Image {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			dx, dy := float64(x-w/2)/float64(w/2), float64(y-h/2)/float64(h/2)
			in := dx*dx+dy*dy < 1
			if stroke {
				// A wave, like a signature.
				fy := float64(h)/2 + float64(h)/3*pdfSin(float64(x)/float64(w)*12)
				in = y > int(fy)-2 && y < int(fy)+2
			}
			if in {
				m.Set(x, y, c)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return &render.Image{Data: buf.Bytes(), Type: "image/png", Alt: "logo"}
}

// pdfSin is a sine good enough for a drawing.
func pdfSin(x float64) float64 {
	for x > 3.14159 {
		x -= 2 * 3.14159
	}
	return x * (1 - x*x/6 + x*x*x*x/120)
}

var (
	pdfEnglishLabels = render.Labels{
		Certificate: "Certificate", Endorsement: "Endorsement", Awarded: "This certifies that",
		HasEarned: "has earned", Earned: "Awarded", IssuedBy: "Issued by", IssuedOn: "Issued on",
		ValidFrom: "Valid from", ValidUntil: "Valid until", Criteria: "Criteria", Results: "Results",
		Credits: "Credits", Evidence: "Evidence", Skills: "Skills", Endorses: "endorses",
		Comment: "Comment", Verify: "Verify this certificate",
		VerifyHint:   "Scan the code or open the link to check it is genuine.",
		CredentialID: "Credential ID",
	}
	pdfArabicLabels = render.Labels{
		Certificate: "شهادة", Awarded: "نشهد بأن", HasEarned: "قد أتمّ بنجاح", Earned: "مُنحت",
		IssuedBy: "صادرة عن", IssuedOn: "تاريخ الإصدار", ValidUntil: "صالحة حتى",
		Criteria: "المعايير", Results: "النتائج", Credits: "الساعات المعتمدة", Skills: "المهارات",
		Verify: "تحقق من هذه الشهادة", VerifyHint: "امسح الرمز أو افتح الرابط للتأكد من صحتها.",
		CredentialID: "معرّف الشهادة",
	}
	pdfChineseLabels = render.Labels{
		Certificate: "证书", Awarded: "兹证明", HasEarned: "已获得", Earned: "授予",
		IssuedBy: "颁发机构", IssuedOn: "颁发日期", ValidUntil: "有效期至", Criteria: "标准",
		Results: "成绩", Credits: "学分", Skills: "技能", Verify: "验证此证书",
		VerifyHint: "扫描二维码或打开链接，确认证书真实有效。", CredentialID: "证书编号",
	}
)

const (
	pdfTestJSON = `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential","OpenBadgeCredential"],"name":"x"}`
	pdfTestJWT  = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUuZWR1In0.c2lnbmF0dXJl"
)

// pdfCase is a certificate to write, and what its PDF must show.
type pdfCase struct {
	name string
	c    *render.Certificate
	// texts must be in pdftotext's output.
	texts []string
}

func pdfCases(t testing.TB) []pdfCase {
	verify := "https://badges.example.edu/verify?id=urn%3Auuid%3A91537dba-56cb-11ec-bf63-0242ac130002"
	issued := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	logo := pdfTestPNG(t, 240, 240, color.RGBA{0x1b, 0x36, 0x5d, 0xff}, false)
	signature := pdfTestPNG(t, 300, 90, color.RGBA{0x10, 0x20, 0x60, 0xff}, true)
	style := render.Style{
		Primary: "#1b365d", Accent: "#8a6a12", Logo: logo,
		Signatures: []render.Signer{
			{Name: "Dr. Ada Lovelace", Title: "Dean of Engineering", Image: signature},
			{Name: "Grace Hopper", Title: "Registrar"},
		},
	}
	english := &render.Certificate{
		Kind: render.KindAchievement, Lang: "en", Dir: "ltr", Labels: pdfEnglishLabels,
		ID:              "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
		Title:           "Foundations of Data Science",
		Description:     "Awarded for completing the twelve-week course in statistics, programming and machine learning, with a capstone project analysing open city data.",
		AchievementType: "Certificate",
		Criteria:        "Pass all twelve weekly assessments with at least 70% and present a capstone project to the faculty panel.",
		Learner:         "Jane Q. Doe",
		Results:         []render.Result{{Name: "Final grade", Value: "A"}, {Name: "Capstone", Value: "Distinction"}},
		Credits:         "6",
		Skills:          []string{"Statistics", "Python", "Machine learning", "Data visualisation"},
		Issuer:          render.Party{Name: "Example University", URL: "https://example.edu"},
		Issued:          issued, IssuedText: "7 December 2026",
		ValidFrom: issued, ValidFromText: "7 December 2026",
		ValidUntil: issued.AddDate(3, 0, 0), ValidUntilText: "7 December 2029",
		VerifyURL: verify, QR: pdfTestQR(t, verify),
		Style:      style,
		Credential: []byte(pdfTestJSON), MediaType: "application/vc+ld+json",
	}
	arabic := &render.Certificate{
		Kind: render.KindAchievement, Lang: "ar", Dir: "rtl", Labels: pdfArabicLabels,
		ID:          "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
		Title:       "أساسيات علم البيانات",
		Description: "مُنحت هذه الشهادة لإتمام دورة من اثني عشر أسبوعاً في الإحصاء والبرمجة والتعلّم الآلي (مع مشروع تخرّج).",
		Learner:     "فاطمة الزهراء",
		Results:     []render.Result{{Name: "الدرجة النهائية", Value: "ممتاز"}},
		Credits:     "6",
		Issuer:      render.Party{Name: "جامعة المستقبل"},
		Issued:      issued, IssuedText: "7 ديسمبر 2026",
		ValidUntil: issued.AddDate(3, 0, 0), ValidUntilText: "7 ديسمبر 2029",
		VerifyURL: verify, QR: pdfTestQR(t, verify),
		Style:      render.Style{Primary: "#0b5345", Accent: "#7d6608", Logo: logo, Signatures: []render.Signer{{Name: "د. سلمى حداد", Title: "عميدة الكلية", Image: signature}}},
		Credential: []byte(pdfTestJWT), MediaType: "application/vc+jwt",
	}
	chinese := &render.Certificate{
		Kind: render.KindAchievement, Lang: "zh", Dir: "ltr", Labels: pdfChineseLabels,
		ID:          "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
		Title:       "数据科学基础",
		Description: "完成为期十二周的统计学、编程与机器学习课程，并以开放城市数据完成毕业项目。",
		Learner:     "王小明",
		Results:     []render.Result{{Name: "总评", Value: "优秀"}},
		Credits:     "6",
		Skills:      []string{"统计学", "Python", "机器学习"},
		Issuer:      render.Party{Name: "示例大学"},
		Issued:      issued, IssuedText: "2026年12月7日",
		VerifyURL: verify, QR: pdfTestQR(t, verify),
		Style:      render.Style{Primary: "#8b1a1a", Accent: "#8a6a12"},
		Credential: []byte(pdfTestJSON), MediaType: "application/vc+ld+json",
	}
	hebrew := &render.Certificate{
		Kind: render.KindAchievement, Lang: "he", Dir: "rtl",
		Labels: render.Labels{Certificate: "תעודה", Awarded: "הננו מאשרים כי", HasEarned: "השלימה בהצלחה את",
			IssuedBy: "הונפקה על ידי", IssuedOn: "תאריך הנפקה", Verify: "אימות התעודה", CredentialID: "מזהה התעודה"},
		ID:      "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
		Title:   "יסודות מדעי הנתונים (Data Science)",
		Learner: "דנה לוי",
		Issuer:  render.Party{Name: "אוניברסיטת הדוגמה"},
		Issued:  issued, IssuedText: "7 בדצמבר 2026",
		VerifyURL: verify, QR: pdfTestQR(t, verify),
		Credential: []byte(pdfTestJSON), MediaType: "application/vc+ld+json",
	}
	endorsement := &render.Certificate{
		Kind: render.KindEndorsement, Lang: "en", Dir: "ltr", Labels: pdfEnglishLabels,
		ID:          "https://endorser.example.org/endorsements/42",
		Title:       "Foundations of Data Science",
		Endorsement: &render.Endorsement{About: "https://example.edu/achievements/ds101", Comment: "The course meets the Data Science Council's standard for introductory programmes."},
		Issuer:      render.Party{Name: "Data Science Council"},
		Issued:      issued, IssuedText: "7 December 2026",
		VerifyURL: "https://endorser.example.org/endorsements/42", QR: pdfTestQR(t, "https://endorser.example.org/endorsements/42"),
		Credential: []byte(pdfTestJSON), MediaType: "application/vc+ld+json",
	}
	hostile := strings.Repeat("<script>alert('x')</script> \u202eevil\u202c ", 10000/40+1)
	hostile = string([]rune(hostile)[:10000])
	long := *english
	long.Title = hostile
	long.Description = strings.Repeat("Lorem ipsum dolor sit amet, \u202e consectetur adipiscing elit. ", 400)
	long.Criteria = strings.Repeat("<b>criteria</b> ", 1000)
	long.Skills = make([]string, 500)
	for i := range long.Skills {
		long.Skills[i] = "skill " + strconv.Itoa(i)
	}
	long.Issuer.Name = strings.Repeat("Very Long Institute Name ", 100)
	minimal := &render.Certificate{Kind: render.KindAchievement, Title: "Badge"}
	return []pdfCase{
		{"english", english, []string{"Jane Q. Doe", "Foundations of Data Science", "7 December 2026", "7 December 2029", "Example University", "Dr. Ada Lovelace", "Final grade: A"}},
		{"arabic", arabic, []string{"فاطمة الزهراء", "أساسيات علم البيانات", "7 ديسمبر 2026", "7 ديسمبر 2029", "جامعة المستقبل", "قد أتمّ بنجاح"}},
		{"hebrew", hebrew, []string{"דנה לוי", "יסודות מדעי הנתונים", "7 בדצמבר 2026", "אוניברסיטת הדוגמה"}},
		{"chinese", chinese, []string{"王小明", "数据科学基础", "2026年12月7日", "示例大学"}},
		{"endorsement", endorsement, []string{"Data Science Council", "Foundations of Data Science", "endorses", "7 December 2026"}},
		{"long", &long, []string{"Jane Q. Doe", "<script>alert('x')</script> evil", "7 December 2026", "7 December 2029"}},
		{"minimal", minimal, []string{"Badge"}},
	}
}

// pdfPNGDir is where pages are kept to look at, or "".
func pdfPNGDir() string { return os.Getenv("OPENBADGES_PDF_PNG") }

func TestPDF(t *testing.T) {
	pdfinfo := pdfTool(t, "pdfinfo", "poppler-utils")
	pdffonts := pdfTool(t, "pdffonts", "poppler-utils")
	pdftotext := pdfTool(t, "pdftotext", "poppler-utils")
	pdfdetach := pdfTool(t, "pdfdetach", "poppler-utils")
	pdftoppm := pdfTool(t, "pdftoppm", "poppler-utils")
	zbarimg := pdfTool(t, "zbarimg", "zbar-tools")
	for _, tc := range pdfCases(t) {
		for _, paper := range []Paper{A4, Letter} {
			t.Run(tc.name+"/"+paper.String(), func(t *testing.T) {
				t.Parallel()
				out, err := writePDF(tc.c, paper, nil)
				if err != nil {
					t.Fatal(err)
				}
				dir := t.TempDir()
				file := filepath.Join(dir, "certificate.pdf")
				if err := os.WriteFile(file, out, 0o644); err != nil {
					t.Fatal(err)
				}

				// One landscape page of the paper's size.
				info := pdfRun(t, pdfinfo, file)
				if !regexp.MustCompile(`\nPages:\s+1\n`).MatchString(info) {
					t.Errorf("pdfinfo: not one page:\n%s", info)
				}
				wantSize := map[Paper]string{A4: "842 x 595", Letter: "792 x 612"}[paper]
				if got := pdfPageSize(info); got != wantSize {
					t.Errorf("page size %q, want %q pts", got, wantSize)
				}
				if tc.c.Title != "" && !strings.Contains(info, "Title:           "+pdfFirstRunes(tc.c.Title, 20)) {
					t.Errorf("pdfinfo: no title:\n%s", info)
				}
				if !strings.Contains(info, "CreationDate:") {
					t.Errorf("pdfinfo: no creation date:\n%s", info)
				}

				// Every font embedded.
				fonts := pdfRun(t, pdffonts, file)
				rows := strings.Split(strings.TrimSpace(fonts), "\n")[2:]
				if len(rows) == 0 {
					t.Errorf("pdffonts: no fonts")
				}
				for _, row := range rows {
					f := strings.Fields(row)
					if len(f) < 7 || f[len(f)-5] != "yes" {
						t.Errorf("pdffonts: a font is not embedded: %s", row)
					}
				}

				// The text is there, and selectable.
				// poppler gives right-to-left text in logical order, as the
				// presentation forms drawn, between U+202B and U+202C, and
				// puts the space next to a number in a right-to-left line on
				// the number's other side ("الإصدار  7ديسمبر"): compare
				// after NFKC, which maps the forms back to letters, and
				// without spaces.
				text := pdfExtracted(pdfRun(t, pdftotext, "-enc", "UTF-8", file, "-"))
				for _, want := range tc.texts {
					if !strings.Contains(text, pdfExtracted(want)) {
						t.Errorf("pdftotext: no %q in:\n%s", want, text)
					}
				}
				if strings.ContainsRune(text, 0x202e) {
					t.Errorf("pdftotext: a right-to-left override was drawn")
				}

				// The credential is attached, byte for byte.
				if len(tc.c.Credential) > 0 {
					name := "credential.json"
					if tc.c.MediaType == "application/vc+jwt" {
						name = "credential.jwt"
					}
					// The form bake.Extract looks for: an embedded file stream,
					// deflated, with the credential's size.
					stream := regexp.MustCompile(`<< /Type /EmbeddedFile /Length \d+ /Filter /FlateDecode /Params << /CheckSum <[0-9a-f]{32}> /Size (\d+) >> >>\s+stream\n`)
					if m := stream.FindSubmatch(out); m == nil || string(m[1]) != strconv.Itoa(len(tc.c.Credential)) {
						t.Errorf("no /Type /EmbeddedFile stream of %d bytes", len(tc.c.Credential))
					}
					list := pdfRun(t, pdfdetach, "-list", file)
					if !strings.Contains(list, "1 embedded files") || !strings.Contains(list, "1: "+name) {
						t.Errorf("pdfdetach -list:\n%s", list)
					}
					saved := filepath.Join(dir, "saved")
					pdfRun(t, pdfdetach, "-save", "1", "-o", saved, file)
					got, err := os.ReadFile(saved)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, tc.c.Credential) {
						t.Errorf("the attachment is %q, want %q", got, tc.c.Credential)
					}
				}

				// The QR code reads from the page as printed.
				page := filepath.Join(dir, "page")
				pdfRun(t, pdftoppm, "-r", "150", "-png", "-singlefile", file, page)
				if tc.c.QR != nil {
					got := strings.TrimSpace(pdfRun(t, zbarimg, "--raw", "-q", page+".png"))
					if got != tc.c.QR.Text {
						t.Errorf("zbarimg read %q, want %q", got, tc.c.QR.Text)
					}
				}
				if d := pdfPNGDir(); d != "" {
					b, err := os.ReadFile(page + ".png")
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(d, tc.name+"-"+paper.String()+".png"), b, 0o644); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(d, tc.name+"-"+paper.String()+".pdf"), out, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			})
		}
	}
}

// pdfExtracted normalizes text for comparison: NFKC, without format
// characters and spaces.
func pdfExtracted(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || r == ' ' {
			return -1
		}
		return r
	}, s)
	return norm.NFKC.String(s)
}

// pdfPageSize reads "W x H" (points, rounded) from pdfinfo's output.
func pdfPageSize(info string) string {
	m := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(info)
	if m == nil {
		return ""
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	h, _ := strconv.ParseFloat(m[2], 64)
	return strconv.Itoa(int(w+0.5)) + " x " + strconv.Itoa(int(h+0.5))
}

func pdfFirstRunes(s string, n int) string {
	rs := []rune(s)
	return string(rs[:min(n, len(rs))])
}

// TestPDFDeterministic checks that a certificate gives the same bytes
// every time.
func TestPDFDeterministic(t *testing.T) {
	for _, tc := range pdfCases(t) {
		a, err := writePDF(tc.c, A4, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := writePDF(tc.c, A4, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two PDFs of the same certificate differ", tc.name)
		}
		if tc.c.Issued.IsZero() {
			if !bytes.Contains(a, []byte("/CreationDate (D:20000101000000)")) {
				t.Errorf("%s: not the fixed creation date", tc.name)
			}
		} else if !bytes.Contains(a, []byte("/CreationDate (D:"+tc.c.Issued.UTC().Format("20060102150405")+")")) {
			t.Errorf("%s: the creation date is not Issued", tc.name)
		}
	}
}

// TestPDFConcurrent writes certificates from several goroutines: the
// fonts are shared, read only (run with -race).
func TestPDFConcurrent(t *testing.T) {
	cases := pdfCases(t)
	want := make([][]byte, len(cases))
	for i, tc := range cases {
		var err error
		if want[i], err = writePDF(tc.c, Letter, nil); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 4*len(cases))
	for range 4 {
		for i, tc := range cases {
			go func() {
				got, err := writePDF(tc.c, Letter, nil)
				if err == nil && !bytes.Equal(got, want[i]) {
					err = errors.New(tc.name + ": a different PDF")
				}
				errs <- err
			}()
		}
	}
	for range 4 * len(cases) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestPDFMetadata checks the document information and the language.
func TestPDFMetadata(t *testing.T) {
	pdfinfo := pdfTool(t, "pdfinfo", "poppler-utils")
	c := pdfCases(t)[0].c
	out, err := writePDF(c, A4, nil)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	info := pdfRun(t, pdfinfo, file)
	for _, want := range []string{
		"Title:           Foundations of Data Science",
		"Subject:         Certificate: Foundations of Data Science",
		"Author:          Example University",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo: no %q in\n%s", want, info)
		}
	}
	if !bytes.Contains(out, []byte("/Lang (en)")) {
		t.Errorf("no /Lang (en) in the catalog")
	}
	// A language tag that is not one is left out: fpdf writes it as it is.
	bad := *c
	bad.Lang = "en) /OpenAction (x"
	out, err = writePDF(&bad, A4, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("/Lang")) {
		t.Errorf("a bad language tag was written")
	}
}

// TestPDFCallerFont checks that the caller's fonts come first, and that
// one that cannot be used fails with ErrFont.
func TestPDFCallerFont(t *testing.T) {
	pdffonts := pdfTool(t, "pdffonts", "poppler-utils")
	regular, err := os.ReadFile("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
	if err != nil {
		t.Skip("no Liberation Sans: apt-get install fonts-liberation")
	}
	c := pdfCases(t)[0].c
	out, err := writePDF(c, A4, []Font{{Name: "Liberation Sans", Regular: regular}})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	fonts := pdfRun(t, pdffonts, file)
	if !strings.Contains(fonts, "font0r") {
		t.Errorf("the caller's font is not used:\n%s", fonts)
	}
	for _, bad := range [][]byte{nil, []byte("not a font"), regular[:1000]} {
		_, err := writePDF(c, A4, []Font{{Name: "Bad", Regular: bad}})
		if !errors.Is(err, ErrFont) {
			t.Errorf("a bad font: %v, want ErrFont", err)
		}
	}
}

// TestPDFMissingFont checks the error for a character no font has.
func TestPDFMissingFont(t *testing.T) {
	for _, tc := range []struct {
		r    rune
		want []string
	}{
		{0x1f600, []string{"U+1F600", "past U+FFFF"}},
		{0xe000, []string{"U+E000", "Config.Fonts", "fonts-droid-fallback"}}, // private use
	} {
		c := &render.Certificate{Kind: render.KindAchievement, Title: "Badge " + string(tc.r)}
		_, err := writePDF(c, A4, nil)
		if !errors.Is(err, ErrFont) {
			t.Fatalf("%U: %v, want ErrFont", tc.r, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%U: %q does not say %q", tc.r, err, w)
			}
		}
	}
}

// BenchmarkPDF writes the English certificate, one per op.
func BenchmarkPDF(b *testing.B) {
	c := pdfCases(b)[0].c
	b.ReportAllocs()
	for b.Loop() {
		if _, err := writePDF(c, A4, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// pdfLargest is the English certificate made from the largest credential
// allowed (random base64, which does not compress), every text field
// as long as the credential.
func pdfLargest(t testing.TB) *render.Certificate {
	c := *pdfCases(t)[0].c
	raw := make([]byte, render.MaxCredentialBytes*3/4)
	rand.NewChaCha8([32]byte{1}).Read(raw)
	c.Credential = []byte(base64.StdEncoding.EncodeToString(raw))
	long := strings.Repeat("Lorem ipsum dolor sit amet ", render.MaxCredentialBytes/27)
	c.Title, c.Description, c.Criteria, c.Learner = long, long, long, long
	c.Issuer.Name, c.ID, c.IssuedText, c.AchievementType = long, long, long, long
	c.Results = make([]render.Result, 10000)
	for i := range c.Results {
		c.Results[i] = render.Result{Name: long, Value: long}
	}
	c.Skills = make([]string, 10000)
	for i := range c.Skills {
		c.Skills[i] = long
	}
	return &c
}

// TestPDFBounded writes the largest certificate: one page, with memory
// bounded by the credential, not by the text fields.
func TestPDFBounded(t *testing.T) {
	c := pdfLargest(t)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	out, err := writePDF(c, A4, nil)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(out, []byte("/Type /Page\n")); n != 1 {
		t.Errorf("%d pages", n)
	}
	// The credential is deflated into the PDF (a few copies of 4 MiB),
	// plus fpdf's fixed cost per font (about 25 MB).
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 100<<20 {
		t.Errorf("writing the PDF allocated %d MB", alloc>>20)
	}
}

// BenchmarkPDFLargest writes the largest certificate.
func BenchmarkPDFLargest(b *testing.B) {
	c := pdfLargest(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := writePDF(c, A4, nil); err != nil {
			b.Fatal(err)
		}
	}
}
