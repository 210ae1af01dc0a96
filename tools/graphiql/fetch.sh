#!/usr/bin/env bash
# Fetches the pinned GraphiQL release and the React it runs on from npm and
# copies their browser builds and licences into internal/graphiql/static/vendor,
# where the binary embeds them. Run it only to change versions; the files are
# committed, so neither the build nor the server fetches anything.
set -euo pipefail
GRAPHIQL=3.9.0
REACT=18.3.1
dest="$(cd "$(dirname "$0")/../.." && pwd)/internal/graphiql/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
cp "graphiql-$GRAPHIQL/package/graphiql.min.js" "graphiql-$GRAPHIQL/package/graphiql.min.css" "$dest/"
cp "graphiql-$GRAPHIQL/package/LICENSE" "$dest/LICENSE.graphiql"
cp "react-$REACT/package/umd/react.production.min.js" "$dest/"
cp "react-$REACT/package/LICENSE" "$dest/LICENSE.react"
cp "react-dom-$REACT/package/umd/react-dom.production.min.js" "$dest/"
cp "react-dom-$REACT/package/LICENSE" "$dest/LICENSE.react-dom"
sha256sum ./*.tgz
