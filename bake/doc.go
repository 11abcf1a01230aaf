// Package bake puts an Open Badges 3.0 credential inside a PNG or SVG badge
// image and takes it out again, as the OB 3.0 specification's "Baked Badge"
// section describes; and it takes the credential out of the certificates
// made for people: an HTML page with the credential in a <script> element,
// and a PDF with the credential attached as an embedded file.
//
// Bake (or PNG, or SVG) writes a credential into an image; Extract reads it
// back, from an image, a page or a PDF, and says what it found in a Baked:
// the format, whether the credential is JSON (secured by an embedded proof)
// or a compact JWS (a VC-JWT), and whether it is really an Open Badges 2.0
// assertion (Legacy, images only). Credential bytes are carried as they
// are: never parsed into structs, never re-encoded. Nothing here checks a
// proof; that is package verify's job. Detect tells the formats apart by
// their first bytes.
//
// # PNG
//
// A credential lives in one uncompressed iTXt chunk with keyword
// "openbadgecredential" and empty language tag and translated keyword. PNG
// inserts it directly after IHDR, removes any chunk that already carries that
// keyword, and copies every other chunk byte for byte; pixels are never
// decoded. Extract reads that iTXt chunk, wherever it is, checks
// the CRC of every chunk up to IEND, and inflates a compressed chunk (which
// the spec forbids but some bakers write) no further than the credential
// limit. Bytes after IEND are not part of the image: Extract never looks at
// them and PNG drops them.
//
// # SVG
//
// A credential lives in one <openbadges:credential> element, in namespace
// https://purl.imsglobal.org/ob/v3p0, directly after the <svg> start tag: a
// JWS in its verify attribute, JSON in a CDATA section. SVG inserts it
// there, declares the namespace on the root (or, when the root already binds
// the prefix "openbadges" to another namespace, on the element itself),
// removes any credential element already present, and leaves every other
// byte of the document as it was. Extract matches elements by namespace URI
// and local name, so any prefix works, at any depth.
//
// XML changes line ends on reading: every XML processor reads CR LF and a
// lone CR as LF, inside CDATA too. So that what a baked SVG holds is exactly
// what every reader gets back, SVG writes JSON with its CR LF and CR line
// ends turned into LF. (JSON strings cannot hold a raw CR, so only
// insignificant whitespace changes, and no OB 3.0 proof covers whitespace.)
// A "]]>" in the JSON ends one CDATA section and starts another, which XML
// readers join again. Everything else is carried byte for byte.
//
// An SVG with a document type declaration that has an internal subset, or
// with any entity declaration, is refused (ErrDTD): no entity is ever
// expanded and no external DTD is ever fetched. A plain
// <!DOCTYPE svg PUBLIC "..." "..."> is allowed, because the 1EdTech
// validator's own baked SVGs carry one. Only UTF-8 SVG is read.
//
// # What the 1EdTech validator fixtures taught
//
// The validator's baked PNGs put the iTXt chunk after the image data, just
// before IEND, so Extract searches every chunk. Their JSON text has no line
// breaks (the CR LFs of the source file were removed), and their SVGs have
// CR LF line ends and JSON padded with whitespace inside and outside the
// CDATA section: a credential is the chunk text or element content with
// surrounding whitespace removed. The validator decides JSON or JWS in a
// PNG by whether the trimmed text starts with "{", and in an SVG by whether
// the verify attribute is present; Extract does the same and also requires
// the content to have the syntax it claims. The validator's SVG reader
// keeps only the first non-blank piece of character data it meets, which is
// why SVG writes a single CDATA section whenever the JSON allows it (and
// writes LF rather than a CR character reference). Its PNG reader finds the
// keyword in tEXt and zTXt chunks too; Extract follows the specification and
// reads only iTXt, and ErrNotBaked then says a tEXt or zTXt chunk was seen.
//
// # One credential per image
//
// An image carries one badge. Extract refuses, with an *ImageError wrapping
// ErrMultiple, a PNG with two text chunks (iTXt, tEXt or zTXt) with keyword
// "openbadgecredential" and an SVG with two <credential> elements in the OB
// 3.0 namespace, wherever they are: readers disagree about which of two
// they take (the first, the last, or, for a tEXt chunk, the one the
// specification says to ignore), so an image with two would show one
// verifier one badge and another verifier another. Open Badges 2.0 data is
// held to the same rule when it is what Extract would return: two
// "openbadges" chunks (iTXt or tEXt), or two OB 2.0 <assertion> elements,
// in an image without an OB 3.0 credential are refused too. An OB 3.0
// credential beside OB 2.0 data is not ambiguous: an OB 3.0 reader reads
// the OB 3.0 credential, which is what Extract returns, ignoring the OB 2.0
// data, and it is what baking with Options.KeepLegacy writes.
//
// Baking replaces: PNG and SVG remove every OB 3.0 credential the image
// holds, however many, before inserting theirs, so baking a credential is
// how an image refused with ErrMultiple is mended.
//
// # HTML
//
// A page carries its credential as the text of a <script> element whose
// type is application/vc or application/vc+ld+json (JSON: VCDM 2.0, or
// VCDM 1.1 and OB 3.0), or application/vc+jwt or
// application/vc+ld+json+jwt (a compact JWS); the type is compared without
// its parameters and in any case. application/ld+json is never read: it is
// the schema.org markup that search engines read, on pages of every kind.
// The text must be a JSON object for the JSON types and a compact JWS for
// the JWT ones; it is returned as found, with surrounding whitespace
// removed: JSON escapes such as \u003c are left as they are (they are
// valid JSON, and the same value).
//
// The page is read as browsers read it, with a small scanner that follows
// the HTML tokenizer, not with a DOM: a script in a comment (or in a bogus
// comment: a DOCTYPE, a processing instruction, a CDATA section), in an
// attribute, or in the text of a textarea, title, style, noscript, xmp,
// iframe, noembed or noframes element is no script, and after <plaintext>
// nothing is. A script's text ends at the first "</script" followed by
// white space, "/" or ">", in any case, except where the tokenizer's
// script data escape rules say otherwise ("<!--" then "<script" in a
// script: browsers read on to a second "</script"). The tests check this
// against Chromium, page by page. Foreign content (inline SVG and MathML,
// where CDATA sections and scripts follow XML's rules) is not told apart.
// A page is UTF-8, as every certificate page is.
//
// Writers and readers agree when the writer takes the type from ScriptType
// and the text from EscapeScript, which writes "<", ">", "&", U+2028 and
// U+2029 in JSON as \u escapes, so that nothing in a credential can end its
// script or start another one. A page holding two credential scripts is
// refused with ErrMultiple, as an image holding two credentials is.
//
// # PDF
//
// A PDF carries its credential as an embedded file (an attachment, as
// fpdf's SetAttachments writes one): a stream whose /Type is /EmbeddedFile,
// or that a file specification's /EF names, holding a JSON object or a
// compact JWS. Writers name it credential.json (JSON) or credential.jwt (a
// JWS). When a file specification names one or more embedded files
// credential.* (in any case), only those are read, and a credential.json
// or credential.jwt must hold what its name says; otherwise every embedded
// file that holds a JSON object or a compact JWS counts, and other files
// are ignored. Two credentials are refused with ErrMultiple.
//
// Extract is no general PDF parser. It reads the file once, from the
// start: each "N G obj ... endobj" at the top level (skipping anything
// else up to the next one), each stream's data skipped by its /Length (a
// direct integer, or an indirect "N G R" that the file defines as
// "N G obj <int> endobj"; when that does not end just before "endstream",
// the data runs to the next "endstream"), so that nothing in a stream's
// data, an attached PDF say, is ever read as an object. It does not read
// the cross-reference table: of two definitions of an object (an
// incremental update) it takes the last. It does not open object streams
// (embedded files are never in one, though a file specification may be, and
// its name is then unknown) and does not read encrypted PDFs. Only data
// with no filter, or /FlateDecode alone without /DecodeParms, is decoded;
// embedded files with other filters are passed over (ErrNotBaked says so
// when nothing else is found). Inflating stops at the credential limit, a
// file that cannot be a credential is dropped as soon as its first bytes
// show it, and all embedded files together decode to at most four times the
// credential limit. A PDF whose objects are malformed is refused with an
// *ImageError.
//
// # Legacy and limits
//
// Open Badges 2.0 baked an "openbadges" iTXt (or, before the baking
// specification, tEXt) chunk into PNGs and an <openbadges:assertion>
// element, in namespace http://openbadges.org, into SVGs. Extract reports
// such data, when the image holds no OB 3.0 credential, with Legacy set and
// Kind saying what it is: the assertion's JSON, a signed assertion (a
// compact JWS) or the URL of a hosted assertion (HostedURL too), in a chunk,
// in the element's verify attribute or as its content. An element with both
// is read as the 2.0 baking specification's example writes it: the URL in
// verify, the JSON as content (Credential is the JSON, HostedURL the URL);
// other pairs are refused. Baking removes OB 2.0 data unless
// Options.KeepLegacy is set, so that a baked image never carries two badges
// that disagree.
//
// Images, pages, PDFs and credentials are bounded (Options; a page or a
// PDF is bounded by MaxImageBytes as an image is); errors say which bound
// was hit and wrap ErrSizeLimit. Every reader takes time linear in the size
// of its input. A file that is none of PNG, SVG, HTML and PDF fails with
// ErrUnknownFormat, an input that holds nothing with ErrNotBaked, and a
// broken one with an *ImageError that says where.
package bake
