"""A custom user model for the interop suite's second pass (`run_interop.py --custom-user`).

`Member` has no `username`: `email` is the USERNAME_FIELD, the table is `accounts_member`, and two
extra columns (`display_name` with a database default, nullable `shoe_size`) check that the Rust
side can insert rows without knowing about them.
"""
