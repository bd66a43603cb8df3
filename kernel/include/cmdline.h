/* Splitting a command line into words (kernel command line, monitor). */
#ifndef NEXA_CMDLINE_H
#define NEXA_CMDLINE_H

#include <stdbool.h>

/*
 * Splits buf in place into at most max words separated by spaces or tabs;
 * double quotes group words ("a b" is one word, without the quotes).
 * Returns the number of words, or -1 if there were more than max.
 */
int cmdline_split(char *buf, char *argv[], int max);

/* For a word "key=value" returns value, for a bare "key" "", else NULL. */
const char *cmdline_value(int argc, char *const argv[], const char *key);

/* For a word "key=N", N as a decimal number; def if there is none or it is not one. */
unsigned cmdline_uint(int argc, char *const argv[], const char *key, unsigned def);

/* For a word "key=a,b,c": whether item is one of a, b and c. */
bool cmdline_has(int argc, char *const argv[], const char *key, const char *item);

/* Whether the command line asks for item's debug output: "debug=a,item",
 * "debug=all", or a bare "debug" (every item). */
bool cmdline_debug(int argc, char *const argv[], const char *item);

#endif
