#include "registry/person.h"
