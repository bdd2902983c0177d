/*
 * confparse.h — checks of directive values, without httpd types (unit-tested).
 */
#ifndef IV_CONFPARSE_H
#define IV_CONFPARSE_H

/* Parses a duration: a positive integer of seconds, optionally followed by one
 * unit letter s, m, h or d ("1800", "30m", "10h"). Returns the seconds, or -1
 * when the text is not such a duration or exceeds 366 days. */
long iv_parse_duration(const char *text);

/* Parses a size: a positive integer of bytes, optionally followed by K, M or G
 * (powers of 1024): "512K", "10M". Returns the bytes, or -1 when the text is not
 * such a size or exceeds 4G. */
long long iv_parse_size(const char *text);

/* 1 for an INSEE commune code: five characters, digits, 2A/2B for Corsica. */
int iv_commune_code_valid(const char *code);

/* 1 for an absolute URL path safe to put in an attribute ("/static"). */
int iv_url_path_valid(const char *path);

#endif
