# Helpers that make one static library per layer, with one set of warnings and sanitizers.

add_library(izde_warnings INTERFACE)
target_compile_options(izde_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Woverloaded-virtual -Wimplicit-fallthrough
  # Designated initializers leave fields out on purpose ({.actor = a, .action = b}).
  -Wno-missing-field-initializers)
if(IZDE_WERROR)
  target_compile_options(izde_warnings INTERFACE -Werror)
endif()

add_library(izde_sanitizers INTERFACE)
if(IZDE_SANITIZE)
  target_compile_options(izde_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(izde_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# izde_library(NAME layer SRCS a.cc b.cc DEPS other libs)
# Creates izde_<layer> with alias izde::<layer>; includes start at src/.
function(izde_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(izde_${ARG_NAME} STATIC ${ARG_SRCS})
  add_library(izde::${ARG_NAME} ALIAS izde_${ARG_NAME})
  target_include_directories(izde_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(izde_${ARG_NAME} PUBLIC ${ARG_DEPS} izde_sanitizers
                        PRIVATE izde_warnings)
endfunction()

# izde_test(NAME foo_test SRCS foo_test.cc DEPS izde::core)
function(izde_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main
                        izde_warnings izde_sanitizers)
  # Where tests find the real program; $IZDE_BINARY overrides it.
  target_compile_definitions(${ARG_NAME} PRIVATE IZDE_DEFAULT_BINARY="$<TARGET_FILE:izde>")
  add_dependencies(${ARG_NAME} izde)
  gtest_discover_tests(${ARG_NAME}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES ENVIRONMENT "IZDE_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()

# izde_embed(TARGET lib SYMBOL kPlacesCsv FILE data/places/x.csv NAMESPACE izde::registry::internal)
# Compiles a data file into the library, so the program runs without finding data/ at run time.
# The generated source defines `extern const std::string_view SYMBOL;` in NAMESPACE.
function(izde_embed)
  cmake_parse_arguments(ARG "" "TARGET;SYMBOL;FILE;NAMESPACE" "" ${ARGN})
  set(input ${PROJECT_SOURCE_DIR}/${ARG_FILE})
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embed_${ARG_SYMBOL}.cc)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${ARG_SYMBOL}
            -DNAMESPACE=${ARG_NAMESPACE} -P ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    COMMENT "Embedding ${ARG_FILE}")
  target_sources(${ARG_TARGET} PRIVATE ${output})
endfunction()
