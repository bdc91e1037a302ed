# pkg-config files for the installed library (attune.pc) and the C ABI (attune_c.pc). Included from
# CMakeLists.txt after the targets exist.
#
# The files locate the prefix from their own folder (${pcfiledir}), so `cmake --install --prefix DIR`
# into any folder gives working flags, not only CMAKE_INSTALL_PREFIX.
set(_attune_pc_dir "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(ATTUNE_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _attune_pc_up "/x/${_attune_pc_dir}" "/x")
  string(REGEX REPLACE "/$" "" _attune_pc_up "${_attune_pc_up}")
  set(ATTUNE_PC_PREFIX "\${pcfiledir}/${_attune_pc_up}")
endif()
foreach(_kind LIBDIR INCLUDEDIR DATADIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_kind}}")
    set(ATTUNE_PC_${_kind} "${CMAKE_INSTALL_${_kind}}")
  else()
    set(ATTUNE_PC_${_kind} "\${prefix}/${CMAKE_INSTALL_${_kind}}")
  endif()
endforeach()

# A static libattune.a needs ReadStat and threads on every link line, not only with --static.
set(_attune_pc_readstat "-lreadstat")
get_filename_component(_attune_readstat_dir "${READSTAT_LIBRARY}" DIRECTORY)
if(NOT _attune_readstat_dir IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
  set(_attune_pc_readstat "-L${_attune_readstat_dir} -lreadstat")
endif()
if(BUILD_SHARED_LIBS)
  set(ATTUNE_PC_CFLAGS "")
  set(ATTUNE_PC_LIBS "-pthread")
  set(ATTUNE_PC_LIBS_PRIVATE "${_attune_pc_readstat}")
else()
  set(ATTUNE_PC_CFLAGS "-DATTUNE_STATIC")
  set(ATTUNE_PC_LIBS "${_attune_pc_readstat} -pthread")
  set(ATTUNE_PC_LIBS_PRIVATE "")
endif()

configure_file(${PROJECT_SOURCE_DIR}/cmake/attune.pc.in ${PROJECT_BINARY_DIR}/attune.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/attune.pc DESTINATION ${_attune_pc_dir})
if(TARGET attune_c)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/attune_c.pc.in ${PROJECT_BINARY_DIR}/attune_c.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/attune_c.pc DESTINATION ${_attune_pc_dir})
endif()
