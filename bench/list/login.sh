#!/bin/sh
# login.sh BASE_URL USER [PASSWORD] — signs in through the login form like a browser
# and prints the session cookie's value (iv_session) on stdout.
set -eu
base=$1 user=$2 password=${3:-demo}
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
form=$(curl -fsS -c "$jar" -b "$jar" "$base/connexion")
token=$(printf '%s' "$form" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" \
    --data-urlencode "csrf_token=$token" --data-urlencode "identifiant=$user" \
    --data-urlencode "mot_de_passe=$password" "$base/connexion"
awk '$6 == "iv_session" { print $7 }' "$jar"
