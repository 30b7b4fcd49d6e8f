/* entrysim shim: the largest errno an ERR_PTR can carry. */
#ifndef _ENTRYSIM_SHIM_ERR_H
#define _ENTRYSIM_SHIM_ERR_H
#define MAX_ERRNO 4095
#endif
