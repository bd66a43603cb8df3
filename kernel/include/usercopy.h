/*
 * Copying between the kernel and user memory. Every user pointer goes
 * through these: an address outside user space, or one the process has
 * not mapped, gives -EFAULT. The check does not race with another thread
 * unmapping the page: a fault inside the copy is recovered (trap.c sends
 * it to the copy's fixup), not prevented.
 */
#ifndef NEXA_USERCOPY_H
#define NEXA_USERCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int copy_from_user(void *dst, uint64_t usrc, size_t n);	/* 0 or -EFAULT */
int copy_to_user(uint64_t udst, const void *src, size_t n);
/* Copies a NUL-terminated string of at most max bytes with the NUL:
 * its length, -EFAULT, or -ENAMETOOLONG if no NUL came within max. */
long copy_string_from_user(char *dst, uint64_t usrc, size_t max);

/* The length of the user string at usrc if its NUL comes within max
 * bytes; -EFAULT, or -ENAMETOOLONG. */
long strnlen_user(uint64_t usrc, size_t max);

/* True if [va, va+n) lies in user space (no wrap-around). */
bool user_range_ok(uint64_t va, size_t n);

/* The raw copy (usercopy.S): returns the bytes left uncopied (0: done). */
size_t usercopy_raw(void *dst, const void *src, size_t n);
/* If rip is inside usercopy_raw, where to resume after a fault; else 0. */
uint64_t usercopy_fixup(uint64_t rip);

#endif
