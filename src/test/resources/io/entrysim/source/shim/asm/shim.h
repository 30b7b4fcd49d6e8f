#define SHIM_VALUE 42
#include "sibling.h"
