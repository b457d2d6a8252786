# StaticCurl.cmake: a minimal static libcurl for the fully static release build.
#
# Debian's own libcurl.a cannot be linked into a -static binary: it wants the
# static libraries of gssapi, ldap, libpsl, libssh2, idn2, nghttp2, rtmp, ...,
# which Debian does not ship. So at configure time this builds libcurl from
# Debian's curl *source* package (`apt-get source curl`, with Debian's patches,
# CVE fixes included), with curl's own CMake build and only:
#   HTTP and HTTPS (HTTP_ONLY), TLS from Debian's static OpenSSL (libssl.a,
#   libcrypto.a), gzip/deflate from Debian's static zlib (libz.a), IPv6,
#   Unix sockets, proxies, HTTP auth (Basic/Digest/NTLM), cookies, HSTS, alt-svc,
#   and curl's threaded resolver (getaddrinfo() on a helper thread).
# Off: every other protocol, ldap, gssapi, libpsl, libssh/libssh2, idn2, brotli,
#   zstd, nghttp2/HTTP/2, HTTP/3, c-ares, .netrc, and loading of openssl.cnf.
#
# The build is cached outside the build tree, in
#   <repo>/.cache/static-curl/<Debian source version>/   (.cache/ is gitignored)
# so `rm -rf build` does not rebuild it; it is redone only when the Debian
# version or the recipe below (options, compiler, OpenSSL, zlib) changes. The
# Debian version is that of the installed libcurl4-openssl-dev (the headers
# the other presets build against), or DRA_CURL_DEB_VERSION when set. Only a
# first build needs the network: `apt-get source` needs deb-src entries, which
# `DRA_RELEASE_DEPS=1 scripts/install-deps.sh` adds, with dpkg-dev.
#
# Defines dra::curl: an imported static library carrying its include directory,
# CURL_STATICLIB and its link dependencies (OpenSSL::SSL, OpenSSL::Crypto,
# ZLIB::ZLIB, Threads::Threads), all static.
#
# Name resolution (the threaded resolver calls glibc's getaddrinfo): glibc
# 2.34 and later have the NSS "files" and "dns" services built in, also in
# static binaries, so with the usual `hosts: files dns` in /etc/nsswitch.conf
# nothing is loaded at run time. Any other service listed there (mdns4_minimal,
# resolve, myhostname, sss, ...) is dlopen()ed as libnss_<name>.so.2, which pulls
# the host's shared glibc into the static process: that works when the host's
# glibc matches the one linked in and is unsupported otherwise; a module that
# is absent is skipped. This is what the linker's warning on getaddrinfo means.
# (c-ares would avoid NSS altogether but also ignore nsswitch.conf; the
# threaded resolver is what Debian builds curl with and keeps DNS timeouts
# working without signals.)
#
# CA certificates: the default CA bundle and CA path are compiled in as
# DRA_CURL_CA_BUNDLE (/etc/ssl/certs/ca-certificates.crt) and DRA_CURL_CA_PATH
# (/etc/ssl/certs), as in Debian's libcurl; curl_version_info() reports them
# (->cainfo, ->capath). They are right on Debian, Ubuntu, Alpine, Arch and
# Gentoo; on Fedora/RHEL/SUSE-style hosts the client must set CURLOPT_CAINFO (or
# CURLOPT_CAINFO_BLOB with a kubeconfig's certificate-authority-data) itself.
#
# OpenSSL configuration: openssl.cnf is not loaded
# (CURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG), so a host's config cannot make the
# static binary dlopen() engines or providers built for the host's libcrypto;
# TLS settings are OpenSSL's compiled-in defaults plus what the client sets.
#
# The -static link prints three glibc warnings ("Using 'X' in statically linked
# applications requires at runtime the shared libraries from the glibc version
# used for linking"), all expected:
#   getaddrinfo    curl's resolver: see "Name resolution" above.
#   dlopen         libcrypto's DSO code, used only to load engines/providers
#                  from files; nothing here asks for that (no openssl.cnf).
#   gethostbyname  libcrypto's BIO_gethostbyname, linked in with the socket BIO
#                  that libssl uses; curl resolves names itself, never calls it.
include_guard(GLOBAL)

get_filename_component(_dra_curl_repo "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(DRA_STATIC_CURL_CACHE "${_dra_curl_repo}/.cache/static-curl" CACHE PATH
    "Where the static libcurl build is kept between builds")
set(DRA_CURL_DEB_VERSION "" CACHE STRING
    "Debian curl source version to build (empty: that of the installed libcurl4-openssl-dev)")
set(DRA_CURL_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt" CACHE STRING
    "Default CA bundle compiled into the static libcurl")
set(DRA_CURL_CA_PATH "/etc/ssl/certs" CACHE STRING
    "Default CA directory compiled into the static libcurl")

# Bump when the recipe changes in a way the fingerprint below does not see.
set(_dra_curl_recipe 1)

# --- static dependencies (the same files for curl's build and for dra::curl) ---
set(OPENSSL_USE_STATIC_LIBS ON)
set(ZLIB_USE_STATIC_LIBS ON)
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)
foreach(_lib IN ITEMS OPENSSL_SSL_LIBRARY OPENSSL_CRYPTO_LIBRARY ZLIB_LIBRARY_RELEASE)
  if(NOT "${${_lib}}" MATCHES "\\.a$")
    message(FATAL_ERROR "StaticCurl: ${_lib} is '${${_lib}}', not a static library "
      "(install libssl-dev and zlib1g-dev, or clear it from the CMake cache)")
  endif()
endforeach()

# --- which Debian curl source version ---
function(_dra_curl_deb_version out)
  if(DRA_CURL_DEB_VERSION)
    set(${out} "${DRA_CURL_DEB_VERSION}" PARENT_SCOPE)
    return()
  endif()
  find_program(DRA_DPKG_QUERY dpkg-query)
  if(DRA_DPKG_QUERY)
    foreach(pkg IN ITEMS libcurl4-openssl-dev libcurl4)
      execute_process(
        COMMAND ${DRA_DPKG_QUERY} -W [=[-f=${db:Status-Abbrev}|${source:Version}]=] ${pkg}
        OUTPUT_VARIABLE line ERROR_QUIET RESULT_VARIABLE rc)
      if(rc EQUAL 0 AND line MATCHES "^ii \\|(.+)$")
        set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
        return()
      endif()
    endforeach()
  endif()
  message(FATAL_ERROR "StaticCurl: cannot tell which Debian curl version to build: "
    "libcurl4-openssl-dev is not installed (run scripts/install-deps.sh) and "
    "DRA_CURL_DEB_VERSION is not set")
endfunction()

# Runs a step of the one-time build, its output going to a log file.
function(_dra_curl_step what log)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_FILE "${log}" ERROR_FILE "${log}")
  if(NOT rc EQUAL 0)
    file(READ "${log}" text)
    string(LENGTH "${text}" len)
    if(len GREATER 6000)
      math(EXPR from "${len} - 6000")
      string(SUBSTRING "${text}" ${from} -1 text)
    endif()
    message(FATAL_ERROR "StaticCurl: ${what} failed (${rc}); end of ${log}:\n${text}")
  endif()
endfunction()

# Downloads and unpacks Debian's curl source, sets ${out} to its directory.
function(_dra_curl_fetch_source version root out)
  set(dir "${root}/source")
  if(EXISTS "${dir}/.dra-ready")
    file(READ "${dir}/.dra-ready" srcdir)
    if(EXISTS "${dir}/${srcdir}/CMakeLists.txt")
      set(${out} "${dir}/${srcdir}" PARENT_SCOPE)
      return()
    endif()
  endif()
  find_program(DRA_APT_GET apt-get)
  find_program(DRA_DPKG_SOURCE dpkg-source)
  find_program(DRA_PATCH patch)
  if(NOT DRA_APT_GET OR NOT DRA_DPKG_SOURCE OR NOT DRA_PATCH)
    message(FATAL_ERROR "StaticCurl: apt-get, dpkg-source (dpkg-dev) and patch are needed to "
      "fetch Debian's curl source: run `DRA_RELEASE_DEPS=1 scripts/install-deps.sh`")
  endif()
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${dir}")
  message(STATUS "StaticCurl: apt-get source curl=${version}")
  execute_process(COMMAND ${DRA_APT_GET} source -q --only-source "curl=${version}"
    WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc
    OUTPUT_FILE "${root}/apt-get-source.log" ERROR_FILE "${root}/apt-get-source.log")
  if(NOT rc EQUAL 0)
    file(READ "${root}/apt-get-source.log" text)
    message(FATAL_ERROR "StaticCurl: `apt-get source curl=${version}` failed:\n${text}\n"
      "It needs deb-src entries and their indexes: run `DRA_RELEASE_DEPS=1 scripts/install-deps.sh`. "
      "If this version is no longer in the archive, upgrade libcurl4-openssl-dev "
      "or set DRA_CURL_DEB_VERSION to one that `apt-cache showsrc curl` lists.")
  endif()
  file(GLOB srcdirs LIST_DIRECTORIES true RELATIVE "${dir}" "${dir}/curl-[0-9]*")
  set(found "")
  foreach(d IN LISTS srcdirs)
    if(IS_DIRECTORY "${dir}/${d}" AND EXISTS "${dir}/${d}/CMakeLists.txt")
      set(found "${d}")
    endif()
  endforeach()
  if(NOT found)
    message(FATAL_ERROR "StaticCurl: no unpacked curl source tree in ${dir}")
  endif()
  set(src "${dir}/${found}")
  # dpkg-source applied the whole patch series, including the last patches that
  # Debian's rules pop again for the OpenSSL flavour (they rename the library
  # for the GnuTLS and NSS flavours): undo them, last first, as rules does.
  if(EXISTS "${src}/.pc/applied-patches")
    file(STRINGS "${src}/.pc/applied-patches" applied)
    list(REVERSE applied)
    foreach(p IN LISTS applied)
      if(p MATCHES "(^|[_-])(gnutls|nss)\\.patch$")
        message(STATUS "StaticCurl: reverting Debian patch ${p} (not the OpenSSL flavour)")
        _dra_curl_step("reverting ${p}" "${root}/patch.log"
          ${DRA_PATCH} -R -p1 -f -s -d "${src}" -i "${src}/debian/patches/${p}")
      endif()
    endforeach()
  endif()
  file(WRITE "${dir}/.dra-ready" "${found}")
  set(${out} "${src}" PARENT_SCOPE)
endfunction()

function(_dra_build_static_curl out_prefix)
  _dra_curl_deb_version(version)
  string(REGEX REPLACE "[^A-Za-z0-9.+~_-]" "_" version_dir "${version}")
  if(CMAKE_CROSSCOMPILING)  # one cache per target architecture
    string(APPEND version_dir "-${CMAKE_SYSTEM_PROCESSOR}")
  endif()
  set(root "${DRA_STATIC_CURL_CACHE}/${version_dir}")
  set(prefix "${root}/install")
  set(${out_prefix} "${prefix}" PARENT_SCOPE)

  # Control-flow protection as Debian builds it: CET on x86, branch protection on arm64.
  set(cf_protection "-fcf-protection")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    set(cf_protection "-mbranch-protection=standard")
  endif()
  set(curl_args
    # as Debian's build: -O2 and its hardening (minus PIE/relro, for a static link)
    -DCMAKE_BUILD_TYPE=Release
    "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG"
    "-DCMAKE_C_FLAGS=-g0 -fstack-protector-strong -fstack-clash-protection ${cf_protection} -D_FORTIFY_SOURCE=2"
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON
    -DCMAKE_INSTALL_LIBDIR=lib
    -DBUILD_SHARED_LIBS=OFF
    -DBUILD_CURL_EXE=OFF
    -DBUILD_TESTING=OFF
    -DENABLE_MANUAL=OFF
    -DCURL_WERROR=OFF
    -DPICKY_COMPILER=OFF
    # protocols: HTTP and HTTPS only
    -DHTTP_ONLY=ON
    -DCURL_DISABLE_LDAP=ON
    -DCURL_DISABLE_LDAPS=ON
    -DCURL_DISABLE_NETRC=ON
    # TLS: OpenSSL only, Debian's static libs; openssl.cnf not loaded
    -DCURL_ENABLE_SSL=ON
    -DCURL_USE_OPENSSL=ON
    -DCURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG=ON
    -DOPENSSL_USE_STATIC_LIBS=ON
    "-DOPENSSL_INCLUDE_DIR=${OPENSSL_INCLUDE_DIR}"
    "-DOPENSSL_SSL_LIBRARY=${OPENSSL_SSL_LIBRARY}"
    "-DOPENSSL_CRYPTO_LIBRARY=${OPENSSL_CRYPTO_LIBRARY}"
    "-DCURL_CA_BUNDLE=${DRA_CURL_CA_BUNDLE}"
    "-DCURL_CA_PATH=${DRA_CURL_CA_PATH}"
    # zlib for Content-Encoding: gzip/deflate
    -DZLIB_USE_STATIC_LIBS=ON
    "-DZLIB_INCLUDE_DIR=${ZLIB_INCLUDE_DIR}"
    "-DZLIB_LIBRARY=${ZLIB_LIBRARY_RELEASE}"
    # resolver: threaded getaddrinfo (see the top of this file)
    -DENABLE_THREADED_RESOLVER=ON
    -DENABLE_ARES=OFF
    # nothing else
    -DUSE_NGHTTP2=OFF -DUSE_NGTCP2=OFF -DUSE_QUICHE=OFF -DUSE_MSH3=OFF
    -DCURL_USE_LIBPSL=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBSSH=OFF
    -DCURL_USE_GSSAPI=OFF -DUSE_LIBIDN2=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF
    -DCURL_USE_MBEDTLS=OFF -DCURL_USE_BEARSSL=OFF -DCURL_USE_NSS=OFF -DCURL_USE_WOLFSSL=OFF
    -DCMAKE_DISABLE_FIND_PACKAGE_Perl=ON
  )
  set(fingerprint "recipe=${_dra_curl_recipe}\nversion=${version}\n"
    "compiler=${CMAKE_C_COMPILER_ID} ${CMAKE_C_COMPILER_VERSION} ${CMAKE_C_COMPILER}\n"
    "openssl=${OPENSSL_VERSION}\nzlib=${ZLIB_VERSION_STRING}\nargs=${curl_args}\n")
  string(JOIN "" fingerprint ${fingerprint})

  # One configure at a time per version (e.g. two build trees configured at once).
  file(MAKE_DIRECTORY "${root}")
  file(LOCK "${root}.lock" GUARD FUNCTION TIMEOUT 3600)

  set(stamp "${prefix}/dra-static-curl.stamp")
  if(EXISTS "${stamp}" AND EXISTS "${prefix}/lib/libcurl.a")
    file(READ "${stamp}" old)
    if(old STREQUAL fingerprint)
      return()
    endif()
    message(STATUS "StaticCurl: recipe changed, rebuilding libcurl ${version}")
  endif()

  string(TIMESTAMP t0 "%s")
  message(STATUS "StaticCurl: building static libcurl ${version} in ${root} "
                 "(once; later configures reuse it)")
  _dra_curl_fetch_source("${version}" "${root}" src)

  set(build "${root}/build")
  set(staging "${root}/install.new")
  file(REMOVE_RECURSE "${build}" "${staging}")
  set(gen -G "${CMAKE_GENERATOR}")
  if(CMAKE_MAKE_PROGRAM)
    list(APPEND gen "-DCMAKE_MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}")
  endif()
  set(cross "")
  if(CMAKE_TOOLCHAIN_FILE)
    set(cross "-DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE}")
  endif()
  cmake_host_system_information(RESULT jobs QUERY NUMBER_OF_LOGICAL_CORES)
  # Keep the caller's environment from leaking flags into curl's build.
  set(clean_env ${CMAKE_COMMAND} -E env --unset=CFLAGS --unset=CPPFLAGS --unset=LDFLAGS --unset=LIBS)
  _dra_curl_step("configuring curl" "${root}/configure.log"
    ${clean_env} ${CMAKE_COMMAND} -S "${src}" -B "${build}" ${gen} ${cross}
    "-DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}" "-DCMAKE_INSTALL_PREFIX=${staging}" ${curl_args})
  _dra_curl_step("building curl" "${root}/build.log"
    ${CMAKE_COMMAND} --build "${build}" --config Release --parallel ${jobs})
  _dra_curl_step("installing curl" "${root}/install.log"
    ${CMAKE_COMMAND} --install "${build}" --config Release)
  if(NOT EXISTS "${staging}/lib/libcurl.a" OR NOT EXISTS "${staging}/include/curl/curl.h")
    message(FATAL_ERROR "StaticCurl: curl's install left no lib/libcurl.a or include/curl/curl.h "
      "in ${staging}; see ${root}/install.log")
  endif()
  file(REMOVE_RECURSE "${prefix}")
  file(RENAME "${staging}" "${prefix}")
  file(REMOVE_RECURSE "${build}")
  file(WRITE "${stamp}" "${fingerprint}")
  string(TIMESTAMP t1 "%s")
  math(EXPR secs "${t1} - ${t0}")
  message(STATUS "StaticCurl: static libcurl ${version} built in ${secs} s")
endfunction()

_dra_build_static_curl(_dra_curl_prefix)

add_library(dra::curl STATIC IMPORTED GLOBAL)
set_target_properties(dra::curl PROPERTIES
  IMPORTED_LOCATION "${_dra_curl_prefix}/lib/libcurl.a"
  INTERFACE_INCLUDE_DIRECTORIES "${_dra_curl_prefix}/include"
  INTERFACE_COMPILE_DEFINITIONS CURL_STATICLIB
  INTERFACE_LINK_LIBRARIES "OpenSSL::SSL;OpenSSL::Crypto;ZLIB::ZLIB;Threads::Threads")
message(STATUS "StaticCurl: dra::curl -> ${_dra_curl_prefix}/lib/libcurl.a")
