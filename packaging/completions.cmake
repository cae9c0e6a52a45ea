# Writes OUT from `PRECIS completions SHELL` (run by the build: cmake -P).
execute_process(COMMAND ${PRECIS} completions ${SHELL}
  OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "precis completions ${SHELL} failed (${rc}): ${err}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
