/* entrysim shim: symbol exports only feed the module loader. */
#ifndef _ENTRYSIM_SHIM_EXPORT_H
#define _ENTRYSIM_SHIM_EXPORT_H
#define EXPORT_SYMBOL(name)
#define EXPORT_SYMBOL_GPL(name)
#endif
