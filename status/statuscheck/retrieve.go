package statuscheck

import (
	"context"
	"fmt"
	"time"

	"github.com/go-openbadges/openbadges/status"
)

// list returns the list at url, verified: from this check's memo, from the
// cache, or retrieved. The error makes the entry Indeterminate; a list
// that was retrieved is returned with it when there is one to describe.
func (c *Checker) list(ctx context.Context, cc *call, url string, m status.Method, memo map[cacheKey]*listOrErr) (*listOrErr, error) {
	key := cacheKey{url, m}
	l, ok := memo[key]
	if !ok {
		l = c.cached(key, cc.now)
		if l == nil {
			vl, err := c.retrieve(ctx, cc, url, m)
			l = &listOrErr{list: vl, err: err}
			if err == nil {
				c.store(key, vl)
			}
		}
		memo[key] = l
	}
	if l.list == nil {
		return nil, l.err
	}
	return l, l.err
}

func (c *Checker) cached(key cacheKey, now time.Time) *listOrErr {
	if c.MaxCacheAge < 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	vl, ok := c.cache[key]
	if !ok {
		return nil
	}
	if !now.Before(vl.until) {
		delete(c.cache, key)
		return nil
	}
	return &listOrErr{list: vl, cached: true}
}

func (c *Checker) store(key cacheKey, vl *verifiedList) {
	if c.MaxCacheAge < 0 {
		return
	}
	max := c.MaxCacheEntries
	if max <= 0 {
		max = DefaultMaxCacheEntries
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil {
		c.cache = make(map[cacheKey]*verifiedList)
	}
	if _, ok := c.cache[key]; !ok && len(c.cache) >= max {
		// Evict the entry that expires first.
		var victim cacheKey
		var first time.Time
		for k, v := range c.cache {
			if first.IsZero() || v.until.Before(first) {
				victim, first = k, v.until
			}
		}
		delete(c.cache, victim)
	}
	c.cache[key] = vl
}

// retrieve gets the list at url and verifies it.
func (c *Checker) retrieve(ctx context.Context, cc *call, url string, m status.Method) (*verifiedList, error) {
	maxBytes := c.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxListDocumentBytes
	}
	data, source := c.Documents[url], "documents"
	if data == nil {
		if cc.fetcher == nil {
			return nil, fmt.Errorf("%w: %s: no document for it, and no fetcher to retrieve it with", status.ErrRetrieval, url)
		}
		var err error
		if data, err = cc.fetcher.Fetch(ctx, url); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			return nil, fmt.Errorf("%w: %s: %w", status.ErrRetrieval, url, err)
		}
		source = "fetcher"
	}
	if len(data) > maxBytes {
		return nil, fmt.Errorf("%w: %s: %w: %d bytes, more than %d", status.ErrRetrieval, url, status.ErrListTooLarge, len(data), maxBytes)
	}
	vl := &verifiedList{info: ListInfo{URL: url, Method: m, Source: source, Bytes: len(data)}}
	var err error
	if m == status.Method1EdTech {
		err = parse1EdTechList(vl, data, maxBytes)
	} else {
		err = c.verifyBitstringList(ctx, cc, vl, data, maxBytes)
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return vl, err
	}
	vl.until = c.cacheUntil(cc.now, vl.info.ValidUntil, vl.ttl)
	vl.info.CachedUntil = vl.until
	if c.MaxCacheAge < 0 {
		vl.info.CachedUntil = time.Time{}
	}
	return vl, nil
}

// cacheUntil says how long a list retrieved at now may be cached.
func (c *Checker) cacheUntil(now, validUntil time.Time, ttl time.Duration) time.Time {
	age := c.MaxCacheAge
	if age == 0 {
		age = DefaultMaxCacheAge
	}
	if validUntil.IsZero() && ttl <= 0 && age > UndatedCacheAge {
		age = UndatedCacheAge
	}
	until := now.Add(age)
	if ttl > 0 && now.Add(ttl).Before(until) {
		until = now.Add(ttl)
	}
	if !validUntil.IsZero() && validUntil.Before(until) {
		until = validUntil
	}
	return until
}
