#!/usr/bin/env bash
# Runs N rounds of the crash drill (the host killed with SIGKILL under load, then PostgreSQL's postmaster killed
# under load), each against a fresh durable PostgreSQL, and prints the tally. A round fails when any acknowledged
# command is missing or stored twice, or when verify finds the read models differ from the events.
# Usage: ops/chaos/run.sh [ROUNDS]
set -uo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
tally=$(mktemp)
passed=0
dotnet build tests/Funnel.Host.Tests -v q >/dev/null || exit 1
for round in $(seq 1 "$rounds"); do
  if FUNNEL_CHAOS_TALLY=$tally dotnet test tests/Funnel.Host.Tests --no-build -v q \
       --filter "FullyQualifiedName~ProcessFaultTests.acknowledged_commands_survive" >/dev/null 2>&1; then
    passed=$((passed + 1)); echo "round $round: passed ($(tail -1 "$tally" | cut -d' ' -f1) commands acknowledged)"
  else
    echo "round $round: FAILED (run the test alone to see which command was lost or duplicated)"
  fi
done
acknowledged=$(awk '{ s += $1 } END { print s + 0 }' "$tally")
echo "rounds $rounds, passed $passed; host kills $rounds, postmaster kills $rounds; acknowledged $acknowledged, lost 0 and duplicated 0 in every passed round"
rm -f "$tally"
[ "$passed" -eq "$rounds" ]
