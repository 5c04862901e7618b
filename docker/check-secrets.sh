#!/bin/sh
# Refuse to start a kongblog container with a weak or placeholder secret.
#
#   check-secrets.sh NAME... [-- COMMAND [ARG...]]
#
# Checks the environment variables NAME..., prints one line per problem on
# stderr (naming the variable, never its value) and exits 64 if there is any;
# otherwise runs COMMAND with exec, or exits 0 when there is none. Used by
# every service in docker-compose.yml (mongo wraps the official image's
# entrypoint with it) and by docker/scrapyd-entrypoint.sh. POSIX sh only.
#
# Rules, by the variable's name:
#   *_PASSWORD   a secret: at least 16 characters, not a placeholder (contains
#                "change-me", or is one of the values of .env.example)
#   *_URI        a mongodb:// URI: must carry user:password, the password
#                following the secret rule
#   other names  user names: not empty, no ':'
#   MONGO_*      also only letters, digits and - . _ ~ (user names and
#                passwords go into a mongodb:// URI unescaped)

MIN_LENGTH=16
FIX="generate one with: python3 -c 'import secrets; print(secrets.token_hex(24))'"
# The values of .env.example, which are not secrets either (kept in step with
# that file by tests/test_compose.py).
EXAMPLE_VALUES='root
kongblog
posts
auto
27017
6800
1000
https://github.com/kongblog/kongblog'

failed=0

refuse() {
    echo "kongblog: refusing to start: $1" >&2
    failed=1
}

is_placeholder() {
    case $1 in
        *[Cc][Hh][Aa][Nn][Gg][Ee]-[Mm][Ee]* | *[Cc][Hh][Aa][Nn][Gg][Ee]_[Mm][Ee]* | *[Cc][Hh][Aa][Nn][Gg][Ee][Mm][Ee]*)
            return 0 ;;
    esac
    printf '%s\n' "$EXAMPLE_VALUES" | grep -Fxq -e "$1"
}

# check_secret LABEL VALUE
check_secret() {
    if [ -z "$2" ]; then
        refuse "$1 is not set or empty; $FIX"
    elif is_placeholder "$2"; then
        refuse "$1 is a placeholder (an example value); $FIX"
    elif [ "${#2}" -lt "$MIN_LENGTH" ]; then
        refuse "$1 is shorter than $MIN_LENGTH characters; $FIX"
    else
        return 0
    fi
    return 1
}

# check_user LABEL VALUE
check_user() {
    case $2 in
        '') refuse "$1 is not set or empty"; return 1 ;;
        *:*) refuse "$1 must not contain ':'"; return 1 ;;
    esac
}

# check_uri_safe LABEL VALUE
check_uri_safe() {
    case $2 in
        *[!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~-]*)
            refuse "$1 has characters that break a mongodb:// URI (use letters, digits and - . _ ~)"
            return 1 ;;
    esac
}

# check_uri NAME VALUE: the credentials inside scheme://user:password@host/...
check_uri() {
    rest=${2#*://}
    authority=${rest%%/*}
    case $authority in
        *@*) ;;
        *) refuse "$1 has no user:password@ (it must authenticate)"; return ;;
    esac
    userinfo=${authority%@*}
    case $userinfo in
        *:*) user=${userinfo%%:*}; password=${userinfo#*:} ;;
        *) user=$userinfo; password='' ;;
    esac
    check_user "$1 (its user name)" "$user" && check_uri_safe "$1 (its user name)" "$user"
    check_secret "$1 (its password)" "$password" && check_uri_safe "$1 (its password)" "$password"
}

while [ $# -gt 0 ]; do
    name=$1
    shift
    [ "$name" = "--" ] && break
    case $name in
        '' | [0-9]* | *[!A-Za-z0-9_]*)
            echo "check-secrets.sh: not a variable name: '$name'" >&2
            exit 2 ;;
    esac
    eval "value=\${$name-}"
    case $name in
        *_URI)
            if [ -z "$value" ]; then refuse "$name is not set or empty"; else check_uri "$name" "$value"; fi ;;
        *_PASSWORD)
            check_secret "$name" "$value" || continue
            case $name in MONGO_*) check_uri_safe "$name" "$value" ;; esac ;;
        *)
            check_user "$name" "$value" || continue
            case $name in MONGO_*) check_uri_safe "$name" "$value" ;; esac ;;
    esac
done

[ "$failed" -eq 0 ] || exit 64
[ $# -gt 0 ] || exit 0
exec "$@"
