# Every dependency ships a pkg-config file on Debian 12 (STYLE.md 3.2).
find_package(PkgConfig REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson>=2.13)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode>=4.1)
pkg_check_modules(PNG REQUIRED IMPORTED_TARGET libpng>=1.6)
pkg_check_modules(ZBAR REQUIRED IMPORTED_TARGET zbar>=0.23)
# certd only.
pkg_check_modules(LMDB REQUIRED IMPORTED_TARGET lmdb>=0.9.24)
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd>=0.9.71)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl>=7.74)
