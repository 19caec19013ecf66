/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

/* A fuzz target: libFuzzer calls it with each input; the corpus test
 * (fuzz-corpus.c) calls it with the files of a corpus and their variants. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
