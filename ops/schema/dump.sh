#!/usr/bin/env bash
# Regenerates the schema scripts a production deployment applies (AutoCreate is off there): run after changing a read model.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet run --project src/Funnel.Host -- db-dump "$PWD/ops/schema/funnel.sql" -d marten://store/
dotnet run --project src/Funnel.Host -- db-dump "$PWD/ops/schema/wolverine.sql" -d wolverine://messages/main
