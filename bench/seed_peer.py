"""The seed script itself as the benchmark's per-document peer.

Reads run_migration from the seed file given (a Markdown file with the function in a ```python
block), supplies the names the function expects from its original module, and runs it for real
against the database given; the benchmark answers its YES prompt on stdin.

Usage: python3 bench/seed_peer.py SEED_FILE URI DATABASE   (needs pymongo)
"""
import re
import sys
from datetime import datetime, timezone

from pymongo import MongoClient

seed_file, uri, database = sys.argv[1:4]
with open(seed_file, encoding="utf-8") as f:
    code = re.search(r"```python\n(.*?)```", f.read(), re.S).group(1)
scope = {
    "MongoClient": MongoClient,
    "datetime": datetime,
    "UTC": timezone.utc,
    "COLLECTION_NAME": "users",
}
exec(code, scope)
sys.exit(0 if scope["run_migration"](uri, database, dry_run=False) else 1)
