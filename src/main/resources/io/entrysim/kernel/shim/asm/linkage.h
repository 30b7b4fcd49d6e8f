/* entrysim shim: nothing x86-specific is needed beyond linux/linkage.h. */
