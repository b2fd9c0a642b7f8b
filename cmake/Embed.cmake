# Script mode: writes OUTPUT, a C++ source holding INPUT's bytes as SYMBOL in NAMESPACE.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR byte_len "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
string(REGEX REPLACE "(([^,]*,){24})" "\\1\n" body "${body}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by cmake/Embed.cmake. Do not edit.\n"
  "#include <string_view>\nnamespace ${NAMESPACE} {\n"
  "static const char kData[] = {\n${body}'\\0'};\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}(kData, ${byte_len});\n}\n")
