/*
 * The initramfs: the cpio archive the boot loader loaded as a module.
 * Lab 4 finds programs in it by name; lab 5 mounts it under the VFS.
 */
#ifndef NEXA_INITRD_H
#define NEXA_INITRD_H

#include <cpio_newc.h>
#include <bootinfo.h>

/* Looks path up in the archive: 0, -ENOENT. */
int initrd_find(const char *path, struct cpio_entry *e);
/* The archive (false if there is none), for lab 5 to unpack. */
bool initrd_archive(const void **data, size_t *len);
/* After unpacking: the archive's memory is about to go back to the allocator. */
void initrd_forget(void);

#endif
