#!/usr/bin/env bash
# Update the message catalogues of kaoping/locale/ (zh_Hant and en; msgids are the zh-Hans text).
#
#   1. makemessages (domain django) over the kaoping package: new msgids are added, changed ones
#      marked fuzzy, removed ones dropped; tests and migrations are not scanned.
#   2. zh_Hant: every empty or fuzzy entry is converted from its msgid with OpenCC (s2t); what a
#      person wrote is kept.
#   3. en: nothing is machine-written. Entries still empty or fuzzy are listed for a translator
#      (edit kaoping/locale/en/LC_MESSAGES/django.po, then run this script again).
#   4. compilemessages: the .mo files, which are committed (run time needs no gettext tools).
#
# Needs GNU gettext (apt-get install gettext) and the dev install (.venv, OpenCC).
set -euo pipefail
cd "$(dirname "$0")/.."

ROOT=$PWD
PYTHON="$ROOT/.venv/bin/python"
export DJANGO_SETTINGS_MODULE=kaoping.config.settings.test
HANT=kaoping/locale/zh_Hant/LC_MESSAGES/django.po
EN=kaoping/locale/en/LC_MESSAGES/django.po

mkdir -p kaoping/locale
(
    cd kaoping
    "$PYTHON" -m django makemessages --domain django --locale zh_Hant --locale en \
        --add-location file --no-obsolete \
        --ignore '*/tests/*' --ignore 'tests/*' --ignore '*/migrations/*' \
        --ignore 'static/*' --ignore '*/static/*' --ignore '.venv/*' --ignore 'var/*'
)

"$PYTHON" -m kaoping.web.catalogues fill-hant "$HANT"
"$PYTHON" -m kaoping.web.catalogues tidy "$EN"

status=0
"$PYTHON" -m kaoping.web.catalogues missing "$EN" || status=$?

(cd kaoping && "$PYTHON" -m django compilemessages --locale zh_Hant --locale en)

if [[ $status -ne 0 ]]; then
    echo "English: translate the entries above in $EN, then run scripts/i18n.sh again." >&2
fi
exit $status
