"""add user email

Revision ID: 3f2a9c1b7d4e
Revises: 1a2b3c4d5e6f, 0a1b2c3d4e5f
Create Date: 2026-11-21 10:30:00.123456

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "3f2a9c1b7d4e"
down_revision: Union[str, Sequence[str], None] = ('1a2b3c4d5e6f', "0a1b2c3d4e5f")
branch_labels = ['accounts']
depends_on = r'7c8d9e0f1a2b'


def upgrade() -> None:
    op.execute("""
CREATE TABLE t (x int)
""")  # a comment


def downgrade() -> None:
    pass
