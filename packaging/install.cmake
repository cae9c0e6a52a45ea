# What `cmake --install` puts where (GNUInstallDirs under CMAKE_INSTALL_PREFIX, DESTDIR
# honoured) and the Debian package `cpack -G DEB` makes of it. Included by the
# top-level CMakeLists.txt after the precis target exists.
#
# Why CPack and not a debian/ directory: the package is built from the same install
# rules every user's `cmake --install` runs, by anyone with dpkg-dev, in the build
# directory they already have; a debian/ directory (debhelper, dpkg-buildpackage) is
# what a distribution's own maintainer would add, and would duplicate these rules.
find_program(GZIP gzip REQUIRED)

install(TARGETS precis RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/prompts/ DESTINATION ${CMAKE_INSTALL_DATADIR}/precis/prompts)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/editors/emacs/precis.el
  DESTINATION ${CMAKE_INSTALL_DATADIR}/emacs/site-lisp/precis)
# Debian's Vim reads /usr/share/vim/vimfiles; Neovim users add it to 'runtimepath'.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/editors/vim/plugin ${CMAKE_SOURCE_DIR}/editors/vim/autoload
  ${CMAKE_SOURCE_DIR}/editors/vim/doc DESTINATION ${CMAKE_INSTALL_DATADIR}/vim/vimfiles)
# The full licence text for a plain install; the .deb says the same in its copyright
# file and points at /usr/share/common-licenses/GPL-3 (Debian policy 12.5).
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE ${CMAKE_SOURCE_DIR}/packaging/copyright
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT license)

# Compresses SRC into OUT with gzip -9n (no name or time stamp: reproducible).
function(precis_gzip src out)
  get_filename_component(dir ${out} DIRECTORY)
  get_filename_component(name ${out} NAME_WLE)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${src} ${dir}/${name}
    COMMAND ${GZIP} -9nf ${dir}/${name}
    DEPENDS ${src} VERBATIM)
endfunction()

# Man pages (man/NAME.N), compressed as Debian policy 12.1 asks.
file(GLOB PRECIS_MAN_PAGES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.[1-8])
set(PRECIS_GENERATED)
foreach(page ${PRECIS_MAN_PAGES})
  get_filename_component(name ${page} NAME)
  string(REGEX MATCH "[1-8]$" section ${name})
  precis_gzip(${page} ${CMAKE_BINARY_DIR}/man/${name}.gz)
  list(APPEND PRECIS_GENERATED ${CMAKE_BINARY_DIR}/man/${name}.gz)
  install(FILES ${CMAKE_BINARY_DIR}/man/${name}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

# Shell completions, written at build time by the built binary (`precis completions SHELL`).
set(dir ${CMAKE_BINARY_DIR}/completions)
foreach(spec "bash;precis;bash-completion/completions"
             "zsh;_precis;zsh/vendor-completions"
             "fish;precis.fish;fish/vendor_completions.d")
  list(GET spec 0 shell)
  list(GET spec 1 file)
  list(GET spec 2 dest)
  add_custom_command(OUTPUT ${dir}/${shell}/${file}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}/${shell}
    COMMAND ${CMAKE_COMMAND} -DPRECIS=$<TARGET_FILE:precis> -DSHELL=${shell}
            -DOUT=${dir}/${shell}/${file} -P ${CMAKE_SOURCE_DIR}/packaging/completions.cmake
    DEPENDS precis ${CMAKE_SOURCE_DIR}/packaging/completions.cmake VERBATIM)
  list(APPEND PRECIS_GENERATED ${dir}/${shell}/${file})
  install(FILES ${dir}/${shell}/${file} DESTINATION ${CMAKE_INSTALL_DATADIR}/${dest})
endforeach()

# The Debian package's own files: changelog.Debian.gz and the lintian overrides.
precis_gzip(${CMAKE_SOURCE_DIR}/packaging/changelog
  ${CMAKE_BINARY_DIR}/debian/changelog.Debian.gz)
list(APPEND PRECIS_GENERATED ${CMAKE_BINARY_DIR}/debian/changelog.Debian.gz)
add_custom_target(precis-install-files ALL DEPENDS ${PRECIS_GENERATED})
install(FILES ${CMAKE_BINARY_DIR}/debian/changelog.Debian.gz ${CMAKE_SOURCE_DIR}/packaging/copyright
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT debian EXCLUDE_FROM_ALL)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/lintian-overrides
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME precis
  COMPONENT debian EXCLUDE_FROM_ALL)

# The .deb: `cpack -G DEB` in the build directory (needs dpkg-dev for dpkg-shlibdeps).
file(STRINGS ${CMAKE_SOURCE_DIR}/packaging/changelog PRECIS_CHANGELOG_TOP LIMIT_COUNT 1)
string(REGEX MATCH "\\(([^)-]+)-([^)]+)\\)" _ "${PRECIS_CHANGELOG_TOP}")
if(NOT CMAKE_MATCH_1 STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "packaging/changelog's top entry is ${CMAKE_MATCH_1}, the project is "
                      "${PROJECT_VERSION}: add a changelog entry")
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME precis)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "precis maintainers <maintainers@users.noreply.r-seed-7dfd5f61.example>"
  CACHE STRING "Maintainer field of the .deb")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CMAKE_MATCH_2})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # precis_VERSION-RELEASE_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # Depends from the libraries the binary links
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "poppler-utils")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "turns web pages into summaries and answers")
set(CPACK_PACKAGE_DESCRIPTION
"precis fetches a URL (or reads a file or standard input), extracts the
readable content and summarizes it with an OpenAI-compatible model, or offline
with its built-in extractive summarizer when none is configured. It also
answers questions about pages with citations, crawls documentation sites into
a local search index, and offers an interactive REPL and Emacs and Vim
plugins.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Everything but the plain install's LICENSE copy, plus the Debian-only files.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL Unspecified debian)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
