/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Build-time guard: the struct layouts the engines share with the installed
 * fio must be the ones our configured copy of fio's source produces.
 *
 * Debian builds fio with './configure --disable-native --prefix=/usr
 * --enable-gfio --enable-libnbd' and libaio, rdma, rbd, numa, gluster, pmem,
 * nbd, gtk available; build/fio-src is configured with '--disable-native'
 * only, on a machine that may lack those -dev packages.  In fio 3.33 the only
 * configuration macros that change the layout of thread_data, thread_options,
 * io_u or fio_file are:
 *   - CONFIG_CUDA (extra members at the end of thread_data): Debian never
 *     enables it, so it must be off here too;
 *   - CONFIG_LIBAIO, CONFIG_POSIXAIO, FIO_HAVE_SGIO, CONFIG_SOLARISAIO,
 *     CONFIG_RDMA (members of the anonymous union at the end of io_u): the
 *     union's size is that of its largest member, the POSIX aiocb, so it is
 *     the same as long as CONFIG_POSIXAIO is on (it is in Debian's build:
 *     glibc always provides it).  The engines never touch the union.
 * Library engines (gfio, nbd, rbd, ...) and --prefix change no shared layout.
 * The runtime half of the guard is cvmio_check_fio() and the engine tests,
 * which read job options back from the real /usr/bin/fio.
 */
#ifndef CVMIO_FIO_ABI_H
#define CVMIO_FIO_ABI_H

#ifdef CONFIG_CUDA
#error "fio source configured with CUDA: thread_data would not match Debian's fio"
#endif
#ifndef CONFIG_POSIXAIO
#error "fio source configured without POSIX aio: io_u would not match Debian's fio"
#endif
#ifndef CONFIG_LIBAIO
#error "fio source configured without libaio: io_u would not match Debian's fio"
#endif
#ifndef CONFIG_64BIT
#error "cvmio engines are built for 64-bit fio only"
#endif
#ifndef FIO_INC_DEBUG
#error "fio is built with -DFIO_INC_DEBUG; the engines must be too"
#endif


#endif
