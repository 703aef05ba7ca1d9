#!/bin/sh
# From the Online Retail II export to the review workbook, in the steps of README.md.
#
#   examples/online-retail/run.sh [EXPORT_FILE] [WORK_DIR]
#
# EXPORT_FILE defaults to the copy in tests/data, WORK_DIR to examples/online-retail/work.
# KUNDENWERT names the command (default: the project's .venv/bin/kundenwert, else kundenwert).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-$root/tests/data/online_retail_ii/online_retail_II_combined_dedup.parquet}
work=${2:-$here/work}
if [ -z "${KUNDENWERT:-}" ]; then
    if [ -x "$root/.venv/bin/kundenwert" ]; then KUNDENWERT=$root/.venv/bin/kundenwert
    else KUNDENWERT=kundenwert; fi
fi
data=$(cd "$(dirname "$data")" && pwd)/$(basename "$data")
mkdir -p "$work"
cp "$here/kundenwert.toml" "$work/"
cd "$work"

"$KUNDENWERT" import "$data"
"$KUNDENWERT" review --as-of 2011-12-09 --by example
"$KUNDENWERT" forecast evaluate --calibration-end 2011-06-30 --holdout 162d
"$KUNDENWERT" trajectories --type growth --limit 10
"$KUNDENWERT" export --format xlsx --out online-retail-review.xlsx
echo
echo "Workbook: $work/online-retail-review.xlsx"
echo "Web page: cd $work && $KUNDENWERT serve --demo-user   (log-in demo / demo)"
