-- depth_decile(layer, n_layers): the relative-depth decile 0..9 of a 0-based decoder layer,
-- floor(10 × layer / n_layers) in integer arithmetic (exact), so decile d holds the layers with
-- relative_depth = layer / n_layers in [d/10, (d+1)/10). NULL for a layer outside [0, n_layers).
create or replace macro depth_decile(layer, n_layers) as
    case
        when layer is null or n_layers is null or layer < 0 or layer >= n_layers then null
        else cast((10 * layer) // n_layers as integer)
    end;
