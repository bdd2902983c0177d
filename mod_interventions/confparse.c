#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "confparse.h"

long iv_parse_duration(const char *text)
{
    char *unit;
    long value, factor = 1;

    if (!text || !isdigit((unsigned char)*text))
        return -1;
    errno = 0;
    value = strtol(text, &unit, 10);
    if (errno || value <= 0)
        return -1;
    switch (*unit) {
    case '\0': case 's': break;
    case 'm': factor = 60; break;
    case 'h': factor = 3600; break;
    case 'd': factor = 86400; break;
    default: return -1;
    }
    if (*unit && unit[1] != '\0')
        return -1;
    if (value > 366L * 86400 / factor)
        return -1;
    return value * factor;
}

long long iv_parse_size(const char *text)
{
    char *unit;
    long long value, factor = 1;

    if (!text || !isdigit((unsigned char)*text))
        return -1;
    errno = 0;
    value = strtoll(text, &unit, 10);
    if (errno || value <= 0)
        return -1;
    switch (*unit) {
    case '\0': break;
    case 'K': case 'k': factor = 1024; break;
    case 'M': case 'm': factor = 1024 * 1024; break;
    case 'G': case 'g': factor = 1024LL * 1024 * 1024; break;
    default: return -1;
    }
    if (*unit && unit[1] != '\0')
        return -1;
    if (value > 4LL * 1024 * 1024 * 1024 / factor)
        return -1;
    return value * factor;
}

int iv_commune_code_valid(const char *code)
{
    if (strlen(code) != 5 || !isdigit((unsigned char)code[0]))
        return 0;
    if (!isdigit((unsigned char)code[1]) && code[1] != 'A' && code[1] != 'B')
        return 0;
    return isdigit((unsigned char)code[2]) && isdigit((unsigned char)code[3])
        && isdigit((unsigned char)code[4]);
}

int iv_url_path_valid(const char *path)
{
    if (path[0] != '/')
        return 0;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("\"'<>\\`", *p))
            return 0;
    return 1;
}
