#!/usr/bin/env bash
# Bring the Chinese catalog up to date with the source, with Babel's own tools (docs/i18n.md):
#   extract every _("…"), N_("…") and _n("…", "…", n) of leadctl/ into leadctl/locale/leadctl.pot,
#   merge it into leadctl/locale/zh_CN/LC_MESSAGES/leadctl.po (new messages come in untranslated),
#   compile the .mo that ships in the wheel.
# tests/unit/test_catalog.py fails when the source has a message the .po does not translate, a
# translation drops a placeholder, or the committed .mo is not the .po compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel -q extract -F babel.cfg -k N_ -k _n:1,2 -k _p:1c,2 -c TRANSLATORS: --no-location --sort-output \
  --project leadctl --copyright-holder "leadctl" -o leadctl/locale/leadctl.pot .
if [ -f leadctl/locale/zh_CN/LC_MESSAGES/leadctl.po ]; then
  pybabel -q update -i leadctl/locale/leadctl.pot -d leadctl/locale -D leadctl -l zh_CN \
    --no-fuzzy-matching
else
  pybabel -q init -i leadctl/locale/leadctl.pot -d leadctl/locale -D leadctl -l zh_CN
fi
pybabel compile -d leadctl/locale -D leadctl -l zh_CN --statistics
