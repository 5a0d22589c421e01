// The system zlib (zlib1g-dev on Debian), used to read gzip-compressed uploads.
#include <zlib.h>
