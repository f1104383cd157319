"""One rate limiter for every public door: sign-ins, code ballots, receipt checks, objections and
takedown requests. See `chuangyou.limits.rates`."""
