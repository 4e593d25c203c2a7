# fluid-host generate with JIT-compiled kernels (modules/llm/*.bc, docs/LLM.md)
# against the native kernels: identical token ids on an mkmodel model of each
# weight type (q4_k is llama.cpp's Q4_K_M mix, so it covers Q6_K too), with
# the AVX2 module where the CPU has it and with the portable module alone.
foreach(type f32 f16 q8_0 q4_0 q4_k q6_k)
    foreach(variant native portable)
        set(variant_args)
        if(variant STREQUAL "portable")
            set(variant_args --portable)
        endif()
        set(test_name llm.jit_kernels.${type}.${variant})
        add_test(NAME ${test_name}
            COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/jit-kernels-test.sh $<TARGET_FILE:fluid-host> $<TARGET_FILE:mkmodel>
                    ${FLUID_LLM_MODULES_DIR} ${CMAKE_CURRENT_BINARY_DIR}/jit-kernels jit-${type}-${variant}
                    ${variant_args} -- --dim 256 --layers 2 --heads 4 --kv-heads 2 --ffn 512 --vocab 600
                    --context 128 --type ${type} --seed 21)
        set_tests_properties(${test_name} PROPERTIES LABELS llm TIMEOUT 300 PASS_REGULAR_EXPRESSION "PASS: identical")
    endforeach()
endforeach()
