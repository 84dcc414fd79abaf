#!/usr/bin/env python3
"""Polars regex extraction of an Apache combined log (bench/logparse.sh):
read lines, extract the fields with one regex, parse the time and numbers.
Writes nothing (extraction only), which favours Polars in the comparison."""
import sys
import polars as pl

PATTERN = (r'^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]+)\] '
           r'"(?P<method>[A-Z]+) (?P<path>[^ ?"]*)(?:\?(?P<query>[^ "]*))? (?P<protocol>[^"]*)" '
           r'(?P<status>\d{3}) (?P<bytes>\d+|-) "(?P<referer>[^"]*)" "(?P<user_agent>[^"]*)"$')

lines = pl.read_csv(sys.argv[1], has_header=False, separator="\x01", quote_char=None, new_columns=["line"],
                    schema_overrides={"line": pl.Utf8})
df = lines.select(pl.col("line").str.extract_groups(PATTERN).alias("m")).unnest("m").with_columns(
    pl.col("time").str.strptime(pl.Datetime("us", "UTC"), "%d/%b/%Y:%H:%M:%S %z"),
    pl.col("status").cast(pl.Int32),
    pl.col("bytes").replace("-", None).cast(pl.Int64),
)
print(f"{df.height} rows, {df['status'].null_count()} unmatched", file=sys.stderr)
