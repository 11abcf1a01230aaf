package render

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// maxOfferURI bounds an offer's URI (a QR code holds some 2,900 bytes).
const maxOfferURI = 2048

// An Offer is a credential offer (OpenID for Verifiable Credential
// Issuance, as package oid4vci makes it) that the certificate page shows
// beside the certificate: its QR code, for the learner's wallet app to
// scan, and its link, for a wallet on the same device. Only the HTML page
// shows it: the SVG image and the PDF are for others to see, and an offer
// is the learner's alone.
type Offer struct {
	// URI is the offer (openid-credential-offer://…, or a wallet's
	// https link). It must be absolute and at most 2,048 bytes; a
	// javascript: or data: URI is refused.
	URI string
	// Expires is when the offer stops working; if zero, the page does
	// not say.
	Expires time.Time
	// TxCode reports whether the wallet will ask for a code sent to the
	// learner apart (an OpenID4VCI tx_code): the page says so.
	TxCode bool
}

// OfferView is what a certificate page shows of an Offer, in the page's
// language.
type OfferView struct {
	// URI is the offer's link; QR its QR code.
	URI string
	QR  *QR
	// Heading, Hint, Open, TxCode and Until are the section's text:
	// "Add this badge to your wallet", "Scan the code with your wallet
	// app, or", "open the offer on this device", "Your wallet will ask
	// for the code we sent you.", "It can be used once, until 8 December
	// 2026 14:05 UTC." (empty without Offer.Expires); QRAlt the QR code's text
	// alternative.
	Heading, Hint, Open, TxCode, Until, QRAlt string
	// Stop ends the sentence of the link: "." ("。" in Chinese).
	Stop string
}

// Link returns the offer's URI for the page's link: html/template lets
// only http, https and mailto URLs through as they are, and an offer is
// openid-credential-offer:// or a wallet's own scheme. A URI Offer would
// refuse (javascript:, data:, …) becomes "#".
func (v *OfferView) Link() template.URL {
	if safeOfferURI(v.URI) != nil {
		return "#"
	}
	return template.URL(v.URI)
}

// safeOfferURI checks an offer's URI.
func safeOfferURI(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || len(s) > maxOfferURI || strings.ContainsAny(s, " \t\r\n") {
		return fmt.Errorf("render: the offer's URI is not an absolute URI of at most %d bytes", maxOfferURI)
	}
	switch strings.ToLower(u.Scheme) {
	case "javascript", "data", "vbscript", "file", "blob":
		return fmt.Errorf("render: an offer's URI of scheme %s", u.Scheme)
	}
	return nil
}

// offerLabels are an offer section's text in one language; Until is a fmt
// format of the date.
type offerLabels struct {
	Heading, Hint, Open, TxCode, Until, QRAlt, Stop string
}

// offerText is the offer section's text, by language.
var offerText = map[language.Tag]offerLabels{
	language.English: {"Add this badge to your wallet", "Scan the code with your wallet app, or", "open the offer on this device",
		"Your wallet will ask for the code we sent you.", "It can be used once, until %s.", "QR code of the offer to add this badge to a wallet", "."},
	language.Spanish: {"Añada esta insignia a su billetera", "Escanee el código con la aplicación de su billetera, o", "abra la oferta en este dispositivo",
		"Su billetera le pedirá el código que le enviamos.", "Puede usarse una vez, hasta el %s.", "Código QR de la oferta para añadir esta insignia a una billetera", "."},
	language.French: {"Ajoutez ce badge à votre portefeuille", "Scannez le code avec l’application de votre portefeuille, ou", "ouvrez l’offre sur cet appareil",
		"Votre portefeuille vous demandera le code que nous vous avons envoyé.", "Elle peut servir une fois, jusqu’au %s.", "Code QR de l’offre pour ajouter ce badge à un portefeuille", "."},
	language.German: {"Fügen Sie dieses Abzeichen Ihrer Wallet hinzu", "Scannen Sie den Code mit Ihrer Wallet-App, oder", "öffnen Sie das Angebot auf diesem Gerät",
		"Ihre Wallet fragt nach dem Code, den wir Ihnen geschickt haben.", "Es kann einmal verwendet werden, bis zum %s.", "QR-Code des Angebots, dieses Abzeichen einer Wallet hinzuzufügen", "."},
	language.Arabic: {"أضف هذه الشارة إلى محفظتك", "امسح الرمز بتطبيق محفظتك، أو", "افتح العرض على هذا الجهاز",
		"ستطلب محفظتك الرمز الذي أرسلناه إليك.", "يمكن استخدامه مرة واحدة، حتى %s.", "رمز QR للعرض لإضافة هذه الشارة إلى محفظة", "."},
	language.Chinese: {"将此徽章添加到您的钱包", "用您的钱包应用扫描二维码，或", "在此设备上打开此要约",
		"您的钱包会要求输入我们发送给您的代码。", "可使用一次，有效期至%s。", "将此徽章添加到钱包的要约二维码", "。"},
}

// offerView returns the view of o in loc's language.
func offerView(o *Offer, loc *locale) (*OfferView, error) {
	if err := safeOfferURI(o.URI); err != nil {
		return nil, err
	}
	qr, err := NewQR(o.URI)
	if err != nil {
		return nil, err
	}
	t, ok := offerText[loc.tag]
	if !ok {
		t = offerText[language.English]
	}
	v := &OfferView{URI: o.URI, QR: qr, Heading: t.Heading, Hint: t.Hint, Open: t.Open, QRAlt: t.QRAlt, Stop: t.Stop}
	if o.TxCode {
		v.TxCode = t.TxCode
	}
	if !o.Expires.IsZero() {
		at := o.Expires.UTC()
		v.Until = fmt.Sprintf(t.Until, loc.formatDate(at)+" "+loc.localDigits(at.Format("15:04"))+" UTC")
	}
	return v, nil
}
