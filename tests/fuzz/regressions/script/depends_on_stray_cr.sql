--Revision ID:b
--Depends On:
--migrate:upgrade