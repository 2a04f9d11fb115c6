#!/usr/bin/env bash
# Vendor the web front's third-party files from the npm registry at pinned versions.
#
# Packs each package with `npm pack` (the registry's tarball, checked against the integrity the
# registry publishes), copies only the built files the pages use, plus licences, into
# kaoping/web/static/vendor/<name>/, and the icons the pages use (Tabler Icons, as SVG inlined by
# `{% include "web/icons/NAME.svg" %}`: no icon font) into kaoping/web/templates/web/icons/. It
# writes kaoping/web/static/vendor/VERSIONS with each version, the tarball's integrity and the
# sha256 of every file. The result is committed: nothing is fetched at run time, and no CDN is
# involved (many users in China cannot reach foreign CDNs).
#
# Usage: bash scripts/vendor.sh          # re-vendor (needs npm and the registry)
#        bash scripts/vendor.sh --check  # verify the committed files against VERSIONS, offline
#
# To upgrade, change a version below, run the script, look at the pages, commit.
set -euo pipefail
shopt -s inherit_errexit # a failure inside $(...) stops the script too
cd "$(dirname "$0")/.."

TABLER_VERSION="1.6.1"
HTMX_VERSION="2.0.11" # the newest 2.0.x; django-htmx targets htmx 2
ECHARTS_VERSION="6.1.0"
ICONS_VERSION="3.51.0"
# The icons the pages use; add a name (https://tabler.io/icons, outline style) and re-run.
ICONS=(
    alert-triangle bell building chart-line check chevron-right clipboard-check clipboard-list
    file-alert file-text home language logout menu-2 message-report printer report-analytics
    scale search settings user-circle users x
)

WEB=kaoping/web # VERSIONS names files relative to this folder
DEST=$WEB/static/vendor
ICON_DEST=$WEB/templates/web/icons
VERSIONS="$DEST/VERSIONS"

check() {
    # Every file listed in VERSIONS is present with its recorded sha256.
    local status=0 name version file sha actual
    while read -r name version file sha; do
        [[ -z "$name" || "$name" == \#* ]] && continue
        [[ "$file" == "-" ]] && continue
        if [[ ! -f "$WEB/$file" ]]; then
            echo "missing: $WEB/$file ($name $version)"
            status=1
            continue
        fi
        actual=$(sha256sum "$WEB/$file" | cut -d' ' -f1)
        if [[ "$actual" != "$sha" ]]; then
            echo "changed: $WEB/$file (sha256 $actual, VERSIONS says $sha)"
            status=1
        fi
    done <"$VERSIONS"
    [[ $status -eq 0 ]] && echo "vendored files match $VERSIONS"
    return $status
}

if [[ "${1:-}" == "--check" ]]; then
    check
    exit $?
fi

command -v npm >/dev/null || {
    echo "npm is needed to vendor the front-end files (apt-get install npm)" >&2
    exit 1
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# pack NAME@VERSION: download the tarball into $WORK and unpack it into $WORK/<name>/;
# prints the registry's integrity string.
pack() {
    local spec=$1 dir=$2 json="$WORK/$2.json" tarball integrity
    (cd "$WORK" && npm pack --json --silent "$spec" >"$json" 2>/dev/null)
    read -r tarball integrity < <(node -e '
        const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0];
        console.log(p.filename, p.integrity)' "$json")
    [[ -n "$tarball" && -f "$WORK/$tarball" ]] || {
        echo "npm pack $spec produced no tarball" >&2
        exit 1
    }
    # npm checks the integrity while downloading; check the file on disk again, independently.
    local expected actual
    expected=${integrity#sha512-}
    actual=$(openssl dgst -sha512 -binary "$WORK/$tarball" | openssl base64 -A)
    if [[ "$expected" != "$actual" ]]; then
        echo "integrity mismatch for $spec: registry $expected, file $actual" >&2
        exit 1
    fi
    mkdir -p "$WORK/$dir"
    tar xzf "$WORK/$tarball" -C "$WORK/$dir" --strip-components=1
    echo "$integrity"
}

# copy NAME SOURCE TARGET: one file into $DEST/NAME/TARGET. Source-map comments are dropped:
# the maps are not vendored, and a dangling reference would make collectstatic's manifest fail.
copy() {
    local name=$1 source=$2 target=$3
    mkdir -p "$DEST/$name"
    case "$target" in
    *.js | *.css) sed -E '/^[[:space:]]*\/[*\/]# sourceMappingURL=.*$/d' "$source" >"$DEST/$name/$target" ;;
    *) cp "$source" "$DEST/$name/$target" ;;
    esac
}

rm -rf "${DEST:?}"/*/ "${ICON_DEST:?}"
mkdir -p "$DEST" "$ICON_DEST"

tabler_integrity=$(pack "@tabler/core@$TABLER_VERSION" tabler)
copy tabler "$WORK/tabler/dist/css/tabler.min.css" tabler.min.css
copy tabler "$WORK/tabler/dist/js/tabler.min.js" tabler.min.js
# The package ships no licence file: its package.json says MIT, its files name the holders.
license=$(node -e 'console.log(require(process.argv[1]).license)' "$WORK/tabler/package.json")
[[ "$license" == "MIT" ]] || {
    echo "@tabler/core $TABLER_VERSION is no longer MIT ($license): check before vendoring" >&2
    exit 1
}
cat >"$DEST/tabler/LICENSE" <<'EOF'
MIT License

Copyright (c) 2018-2026 The Tabler Authors
Copyright (c) 2018-2026 codecalm.net Paweł Kuna

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF

htmx_integrity=$(pack "htmx.org@$HTMX_VERSION" htmx)
copy htmx "$WORK/htmx/dist/htmx.min.js" htmx.min.js
copy htmx "$WORK/htmx/LICENSE" LICENSE

echarts_integrity=$(pack "echarts@$ECHARTS_VERSION" echarts)
copy echarts "$WORK/echarts/dist/echarts.min.js" echarts.min.js
copy echarts "$WORK/echarts/LICENSE" LICENSE
copy echarts "$WORK/echarts/licenses/LICENSE-d3" LICENSE-d3

icons_integrity=$(pack "@tabler/icons@$ICONS_VERSION" icons)
for icon in "${ICONS[@]}"; do
    source="$WORK/icons/icons/outline/$icon.svg"
    [[ -f "$source" ]] || {
        echo "no icon '$icon' in @tabler/icons $ICONS_VERSION" >&2
        exit 1
    }
    # One line, decorative (aria-hidden): the text next to an icon says what it means.
    tr -s ' \n' ' ' <"$source" | sed -E 's/ ?<svg /<svg aria-hidden="true" focusable="false" /; s/> </></g; s/ >/>/g; s/ $//' \
        >"$ICON_DEST/$icon.svg"
    echo >>"$ICON_DEST/$icon.svg"
done
cp "$WORK/icons/LICENSE" "$ICON_DEST/LICENSE"

{
    echo "# Vendored by scripts/vendor.sh from the npm registry; do not edit by hand."
    echo "# name version file sha256; files relative to kaoping/web/ (file '-': the npm tarball's"
    echo "# integrity as the registry publishes it)"
    for entry in "@tabler/core $TABLER_VERSION static/vendor/tabler $tabler_integrity" \
        "htmx.org $HTMX_VERSION static/vendor/htmx $htmx_integrity" \
        "echarts $ECHARTS_VERSION static/vendor/echarts $echarts_integrity" \
        "@tabler/icons $ICONS_VERSION templates/web/icons $icons_integrity"; do
        read -r name version dir integrity <<<"$entry"
        echo "$name $version - $integrity"
        for file in "$WEB/$dir"/*; do
            echo "$name $version ${file#"$WEB"/} $(sha256sum "$file" | cut -d' ' -f1)"
        done
    done
} >"$VERSIONS"

check
du -sh "$DEST" "$ICON_DEST"
