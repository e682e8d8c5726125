-- Confidence intervals for correlations (weight_concentration_corr).

-- ci_level(): two-sided confidence level of every interval; ci_z(): its standard normal quantile
-- z_{1 - (1 - level) / 2} = z_0.975 = 1.959963984540054.
create or replace macro ci_level() as 0.95;
create or replace macro ci_z() as 1.959963984540054;

-- fisher_z_ci_low / _high(r, n): Fisher's z interval for a Pearson r over n independent pairs,
-- tanh(atanh(r) ∓ ci_z() / sqrt(n - 3)). NULL when n <= 3 or r is NULL, NaN or ±1.
create or replace macro fisher_z_ci_low(r, n) as
    case when n > 3 and abs(r) < 1 then tanh(atanh(r) - ci_z() / sqrt(n - 3)) end;
create or replace macro fisher_z_ci_high(r, n) as
    case when n > 3 and abs(r) < 1 then tanh(atanh(r) + ci_z() / sqrt(n - 3)) end;
