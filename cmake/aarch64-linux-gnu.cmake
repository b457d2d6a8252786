# Toolchain for the linux/arm64 release binary, cross-compiled on Debian (amd64) with
# Debian's packages: g++-aarch64-linux-gnu and the :arm64 -dev packages that
# `DRA_ARM64_DEPS=1 scripts/install-deps.sh` installs (multiarch, /usr/lib/aarch64-linux-gnu).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Headers that are not per architecture are shared (/usr/include); libraries and
# pkg-config files are arm64's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# Run arm64 programs (none at build time; the release check) under qemu when there is one.
find_program(DRA_QEMU_AARCH64 qemu-aarch64-static)
if(DRA_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${DRA_QEMU_AARCH64}")
endif()
