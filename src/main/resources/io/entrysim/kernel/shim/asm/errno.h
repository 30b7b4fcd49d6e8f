/* entrysim shim: the errno values entry code returns. */
#ifndef _ENTRYSIM_SHIM_ERRNO_H
#define _ENTRYSIM_SHIM_ERRNO_H
#define EPERM 1
#define EFAULT 14
#define EINVAL 22
#define ENOSYS 38
#endif
