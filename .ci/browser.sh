# What the tests of certificates and of the verifier page need beyond Go:
# headless Chromium (through internal/browsertest), the PDF and QR-code tools
# that read certificates back, and the fonts that pages and PDFs draw Latin,
# Arabic and Chinese text with. Sourced by .ci/run; by hand:
#
#	source .ci/browser.sh && browser_setup   # exports OPENBADGES_CHROMIUM
#	go test ./internal/browsertest/
#
# browser_setup installs, from Debian's packages, whichever of these is
# missing: chromium (/usr/bin/chromium), poppler-utils (pdftotext, pdfdetach,
# pdftoppm), zbar-tools (zbarimg), fonts-dejavu-core, fonts-droid-fallback
# (Arabic and Chinese glyphs) and fonts-liberation (what Arial, Helvetica and
# Times resolve to; Chromium recommends it anyway, and naming it keeps the
# fonts of golden screenshots the same on every machine). apt-get runs
# without questions, and `apt-get update` runs only when an install fails
# (an old package list). It then exports OPENBADGES_CHROMIUM, unless that
# already names an executable. axe-core, the accessibility checker, is not
# here: `npm ci` in interop/js installs it.

browser_packages=(chromium poppler-utils zbar-tools fonts-dejavu-core fonts-droid-fallback fonts-liberation)
browser_tools=(pdftotext pdfdetach pdftoppm zbarimg)

# browser_missing prints the packages of browser_packages that are not
# installed.
browser_missing() {
	local p
	for p in "${browser_packages[@]}"; do
		if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
			echo "$p"
		fi
	done
}

browser_setup() {
	local missing
	missing=$(browser_missing)
	if [ -n "$missing" ]; then
		echo "browser: installing Debian's" $missing
		export DEBIAN_FRONTEND=noninteractive
		# shellcheck disable=SC2086 # one word per package
		if ! apt-get install -y -q $missing >/dev/null; then
			apt-get update -q >/dev/null
			apt-get install -y -q $missing >/dev/null
		fi
		missing=$(browser_missing)
		if [ -n "$missing" ]; then
			echo "browser: still not installed:" $missing >&2
			return 1
		fi
	fi
	local t
	for t in "${browser_tools[@]}"; do
		command -v "$t" >/dev/null || { echo "browser: $t is not on PATH" >&2; return 1; }
	done
	if [ -n "${OPENBADGES_CHROMIUM:-}" ] && [ -x "$OPENBADGES_CHROMIUM" ] && [ ! -d "$OPENBADGES_CHROMIUM" ]; then
		echo "browser: using OPENBADGES_CHROMIUM=$OPENBADGES_CHROMIUM"
	else
		OPENBADGES_CHROMIUM="$(command -v chromium)" || { echo "browser: chromium is not on PATH" >&2; return 1; }
		export OPENBADGES_CHROMIUM
	fi
	# Debian's /usr/bin/chromium is a shell script that may print a warning
	# before the version; keep only the version line.
	echo "browser: $("$OPENBADGES_CHROMIUM" --version 2>/dev/null | grep -i -m1 -E 'chrom(e|ium) [0-9]' || echo "$OPENBADGES_CHROMIUM"), $(pdftotext -v 2>&1 | head -1), $(zbarimg --version 2>&1 | head -1 | sed 's/^/zbarimg /')"
}
