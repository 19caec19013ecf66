/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh temporary folder for a test's database. */
char *store_test_make_dir   (void);
/* Removes the folder and the files in it (the database, its WAL and SHM). */
void  store_test_remove_dir (const char *dir);

G_END_DECLS
