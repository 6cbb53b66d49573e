// SPDX-License-Identifier: GPL-2.0-only
/*
 * Is KVM really usable?  Opening /dev/kvm proves little: on nested hosts
 * without VMX/SVM (or with a paravirtual KVM flavour) the node opens and
 * KVM_CREATE_VM succeeds, yet every ordinary guest dies with "KVM internal
 * error".  So run one real-mode instruction, 'hlt', and expect KVM_EXIT_HLT.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "host_probe.h"

static void on_alarm(int sig)
{
	(void)sig;   /* only interrupts KVM_RUN */
}

/*
 * Real mode at 0x1000: count cx down from 0x1000 (a loop the CPU itself must
 * execute), write 'K' to port 0x3f8, then hlt.  Expected exits: IO, then HLT.
 */
static const unsigned char probe_code[] = {
	0xb9, 0x00, 0x10,       /* mov $0x1000, %cx */
	0xe2, 0xfe,             /* loop . */
	0xba, 0xf8, 0x03,       /* mov $0x3f8, %dx */
	0xb0, 'K',              /* mov $'K', %al */
	0xee,                   /* out %al, (%dx) */
	0xf4,                   /* hlt */
};

static int run_hlt(int vm, char *detail, size_t len)
{
	const size_t mem_size = 0x1000;
	unsigned char *mem;
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int vcpu, kvm_run_size, rc = 0, kvm = -1;
	struct sigaction sa = { .sa_handler = on_alarm }, old;

	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		snprintf(detail, len, "mmap: %s", strerror(errno));
		return 0;
	}
	memcpy(mem, probe_code, sizeof(probe_code));
	region = (struct kvm_userspace_memory_region){
		.slot = 0, .guest_phys_addr = 0x1000, .memory_size = mem_size,
		.userspace_addr = (unsigned long)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		snprintf(detail, len, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		goto out_mem;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		snprintf(detail, len, "KVM_CREATE_VCPU: %s", strerror(errno));
		goto out_mem;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	kvm_run_size = kvm < 0 ? -1 : ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (kvm >= 0)
		close(kvm);
	if (kvm_run_size <= 0) {
		snprintf(detail, len, "KVM_GET_VCPU_MMAP_SIZE failed");
		goto out_vcpu;
	}
	run = mmap(NULL, (size_t)kvm_run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED) {
		snprintf(detail, len, "mmap kvm_run: %s", strerror(errno));
		goto out_vcpu;
	}
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0) {
		snprintf(detail, len, "KVM_GET_SREGS: %s", strerror(errno));
		goto out_run;
	}
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0) {
		snprintf(detail, len, "KVM_SET_SREGS: %s", strerror(errno));
		goto out_run;
	}
	memset(&regs, 0, sizeof(regs));
	regs.rip = 0x1000;
	regs.rflags = 0x2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) {
		snprintf(detail, len, "KVM_SET_REGS: %s", strerror(errno));
		goto out_run;
	}
	sigaction(SIGALRM, &sa, &old);
	alarm(2);
	if (ioctl(vcpu, KVM_RUN, 0) < 0) {
		snprintf(detail, len, "KVM_RUN: %s", strerror(errno));
	} else if (run->exit_reason != KVM_EXIT_IO || run->io.port != 0x3f8 ||
		   run->io.direction != KVM_EXIT_IO_OUT ||
		   ((unsigned char *)run)[run->io.data_offset] != 'K') {
		snprintf(detail, len, "a vCPU running a real-mode probe exited with reason %u "
			 "instead of its port write: no usable hardware virtualization",
			 run->exit_reason);
	} else if (ioctl(vcpu, KVM_RUN, 0) < 0) {
		snprintf(detail, len, "KVM_RUN: %s", strerror(errno));
	} else if (run->exit_reason == KVM_EXIT_HLT) {
		snprintf(detail, len, "a vCPU ran a real-mode loop, port write and hlt under KVM");
		rc = 1;
	} else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
		snprintf(detail, len, "/dev/kvm opens but a vCPU fails with KVM internal error "
			 "(suberror %u): no usable hardware virtualization", run->internal.suberror);
	} else {
		snprintf(detail, len, "a vCPU running 'hlt' exited with reason %u instead of HLT",
			 run->exit_reason);
	}
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
out_run:
	munmap(run, (size_t)kvm_run_size);
out_vcpu:
	close(vcpu);
out_mem:
	munmap(mem, mem_size);
	return rc;
}

/* 1 when /proc/cpuinfo lists vmx or svm, 0 when not, -1 when unreadable. */
static int cpu_has_hw_virt(void)
{
	char line[8192];
	int found = -1;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		found = strstr(line, " vmx") || strstr(line, " svm");
		break;
	}
	fclose(f);
	return found;
}

int kvm_usable(char *detail, size_t detaillen)
{
	int kvm, vm, version, rc, hw;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		snprintf(detail, detaillen, "/dev/kvm: %s", strerror(errno));
		return 0;
	}
	version = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(detail, detaillen, "/dev/kvm: API version %d, expected %d", version,
			 KVM_API_VERSION);
		close(kvm);
		return 0;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	close(kvm);
	if (vm < 0) {
		snprintf(detail, detaillen, "KVM_CREATE_VM: %s", strerror(errno));
		return 0;
	}
	rc = run_hlt(vm, detail, detaillen);
	close(vm);
	/*
	 * A real-mode probe passes on PVM-style software KVM too (module kvm_pvm),
	 * where ordinary firmware and kernels then hang or die: without VMX/SVM
	 * in the CPU flags, do not trust it.
	 */
	hw = cpu_has_hw_virt();
	if (rc && hw == 0) {
		snprintf(detail, detaillen, "/dev/kvm runs a real-mode probe but the CPU has no "
			 "vmx/svm flag%s: ordinary guests do not boot, not usable",
			 access("/sys/module/kvm_pvm", F_OK) == 0 ? " (KVM is kvm_pvm)" : "");
		return 0;
	}
	return rc;
}
