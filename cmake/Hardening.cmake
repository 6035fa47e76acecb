# One INTERFACE target carries warnings and hardening; every target links it
# PRIVATE (STYLE.md section 3.1). Flags are probed, not assumed.
add_library(sk_flags INTERFACE)

set(SK_WARNINGS
  -Wall -Wextra -Wpedantic -Wformat=2 -Wformat-security -Wvla -Wshadow
  -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wcast-qual
  -Wwrite-strings -Wundef -Wimplicit-fallthrough -Wnull-dereference
  -Wdouble-promotion)
foreach(flag IN LISTS SK_WARNINGS)
  string(MAKE_C_IDENTIFIER "HAVE${flag}" var)
  check_c_compiler_flag(${flag} ${var})
  if(${var})
    target_compile_options(sk_flags INTERFACE ${flag})
  endif()
endforeach()
if(SK_WERROR)
  target_compile_options(sk_flags INTERFACE -Werror)
endif()

# Nothing deprecated from OpenSSL 3.0 (engineering rules; STYLE.md section 4).
target_compile_definitions(sk_flags INTERFACE
  OPENSSL_API_COMPAT=30000 OPENSSL_NO_DEPRECATED _DEFAULT_SOURCE)

set(SK_HARDEN_CFLAGS -fstack-protector-strong -fstack-clash-protection
    -fcf-protection=full -fno-strict-overflow -fno-delete-null-pointer-checks)
foreach(flag IN LISTS SK_HARDEN_CFLAGS)
  string(MAKE_C_IDENTIFIER "HAVE${flag}" var)
  check_c_compiler_flag(${flag} ${var})
  if(${var})
    target_compile_options(sk_flags INTERFACE ${flag})
  endif()
endforeach()

if(SK_FUZZ)
  # Coverage instrumentation for everything a fuzz target links (the
  # library included); the targets themselves add -fsanitize=fuzzer.
  if(NOT SK_SANITIZE)
    message(FATAL_ERROR "SK_FUZZ needs SK_SANITIZE (the sanitizer runtime "
                        "provides the coverage callbacks)")
  endif()
  target_compile_options(sk_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()

if(SK_SANITIZE)
  set(SK_SAN -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  target_compile_options(sk_flags INTERFACE ${SK_SAN})
  target_link_options(sk_flags INTERFACE ${SK_SAN})
else()
  # FORTIFY needs optimisation and conflicts with ASan's interceptors.
  target_compile_options(sk_flags INTERFACE
    $<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3>)
endif()

target_link_options(sk_flags INTERFACE
  -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack -Wl,--as-needed)
# Executables are PIE (CMAKE_POSITION_INDEPENDENT_CODE + this policy).
include(CheckPIESupported)
check_pie_supported()
