/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Where a program finds a folder of its data: the environment variable
 * @variable when set, the build tree's @build_subdir when the program runs
 * from the build tree (tests, the README's run command), else @installed.
 */
char *cb_find_data_dir (const char *variable,
                        const char *build_subdir,
                        const char *installed);

G_END_DECLS
