// SPDX-License-Identifier: GPL-2.0-only
/* cvmio check: decoding the Intel TDX facts (see check_tdx_decode.h for the sources). */
#include <string.h>

#include "check_tdx_decode.h"

int decode_cpuid_21(uint32_t ebx, uint32_t ecx, uint32_t edx, char vendor[13])
{
	memcpy(vendor, &ebx, 4);
	memcpy(vendor + 4, &edx, 4);
	memcpy(vendor + 8, &ecx, 4);
	vendor[12] = '\0';
	for (int i = 0; i < 12; i++)
		if (vendor[i] < 0x20 || vendor[i] > 0x7e)
			vendor[i] = '?';
	return !memcmp(vendor, TDX_CPUID_VENDOR, 12);
}

int mem_encrypt_line_is_tdx(const char *msg)
{
	static const char head[] = "Memory Encryption Features active:";
	const char *p = msg ? strstr(msg, head) : NULL;
	size_t len;

	if (!p)
		return -1;
	p += sizeof(head) - 1;
	p += strspn(p, " \t");
	len = strcspn(p, "\n");
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
		len--;
	return len == 9 && !strncmp(p, "Intel TDX", 9);
}

int cpuinfo_has_flag(const char *cpuinfo, const char *flag)
{
	size_t flen = strlen(flag);
	const char *line = cpuinfo;

	while (line && *line) {
		const char *end = strchr(line, '\n'), *colon;

		if (!end)
			end = line + strlen(line);
		colon = memchr(line, ':', (size_t)(end - line));
		if (!strncmp(line, "flags", 5) && strchr(" \t", line[5]) && colon) {
			for (const char *w = colon + 1; w < end;) {
				size_t n;

				w += strspn(w, " \t");
				n = strcspn(w, " \t\n");
				if (n == flen && !strncmp(w, flag, flen))
					return 1;
				w += n ? n : 1;
			}
			return 0;
		}
		line = *end ? end + 1 : NULL;
	}
	return -1;
}

int module_param_bool(const char *text)
{
	if (!text)
		return -1;
	if ((text[0] == 'Y' || text[0] == '1') && (text[1] == '\0' || text[1] == '\n'))
		return 1;
	if ((text[0] == 'N' || text[0] == '0') && (text[1] == '\0' || text[1] == '\n'))
		return 0;
	return -1;
}

bool tdx_guest_confirmed(const struct tdx_guest_in *in)
{
	bool kernel_says = in->kernel_line == 1 || in->cpu_flag == 1;
	bool contradicted = in->kernel_line == 0 || in->cpu_flag == 0 || in->cpuid_tdx == 0;

	return kernel_says && !contradicted;
}

bool tdx_host_confirmed(const struct tdx_host_in *in)
{
	return in->intel && in->kvm_usable == 1 && in->kvm_intel_tdx == 1 &&
		in->qemu_supports_tdx == 1 && in->qemu_has_tdx_guest == 1;
}
