"""upstream: the provider's OpenAPI spec; the contract check and scaffold.

``openapi`` loads and indexes a spec (refs resolved); ``contract`` checks actions against it
(``check-upstream``, rules ``upstream-*``) with ``compatible`` comparing value schemas;
``scaffold/`` writes an action template from one operation.
"""
