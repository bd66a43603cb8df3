/*
 * The vDSO (see vdso.h): the vvar page the kernel fills, and the mapping
 * of the vvar page and of the vDSO image into each new program, just
 * below the stack's guard gap.
 */
#include <clock.h>
#include <layout.h>
#include <timer.h>
#include <uvm.h>
#include <vdso.h>

#define VDSO_MAX_PAGES	4
#define VDSO_TOP	(USER_STACK_TOP - USER_STACK_SIZE - STACK_GUARD_GAP)

extern const char vdso_image[], vdso_image_end[];

/* A page of its own: all of it is readable by every process. */
static union {
	struct vdso_data d;
	char page[PAGE_SIZE];
} vvar __attribute__((aligned(PAGE_SIZE)));

void
vdso_update(void)
{
	struct vdso_data *d = &vvar.d;
	struct clock_params c = clock_params();

	d->seq++;
	__asm__ volatile("" ::: "memory");
	d->tsc0 = c.tsc0;
	d->mult = c.mult;
	d->shift = c.shift;
	d->realtime = clock_realtime_offset();
	d->coarse_ns = timer_hz() ? NSEC_PER_SEC / timer_hz() : 0;
	__asm__ volatile("" ::: "memory");
	d->seq++;
}

uint64_t
vdso_map(struct uvm *vm)
{
	unsigned n = (unsigned)((vdso_image_end - vdso_image + PAGE_SIZE - 1) / PAGE_SIZE);
	uint64_t base = VDSO_TOP - n * PAGE_SIZE, frames[VDSO_MAX_PAGES];

	if (n == 0 || n > VDSO_MAX_PAGES)
		return 0;
	if (!vvar.d.seq)
		vdso_update();
	for (unsigned i = 0; i < n; i++)
		frames[i] = kimg_to_phys(vdso_image + i * PAGE_SIZE);
	uint64_t data = kimg_to_phys(&vvar);
	if (uvm_map_special(vm, base - PAGE_SIZE, &data, 1, VM_READ) < 0 ||
	    uvm_map_special(vm, base, frames, n, VM_READ | VM_EXEC) < 0)
		return 0;
	return base;
}
