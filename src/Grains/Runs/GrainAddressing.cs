using System.Text;

namespace Seismo.Grains.Runs;

/// <summary>
/// Makes references to many grains of one string-keyed interface. <see cref="IGrainFactory"/>'s
/// <c>GetGrain&lt;T&gt;(string)</c> works out the grain interface type from <typeparamref name="TGrainInterface"/>
/// by reflection on every call, which costs more than the message sent through the reference; here it is worked out
/// once, from the first reference, and each further reference is made from its grain id directly. The references
/// are the ones <c>GetGrain&lt;T&gt;(key)</c> would return: same grain id, same interface.
/// </summary>
public sealed class GrainAddressing<TGrainInterface> where TGrainInterface : IGrainWithStringKey
{
    private readonly IGrainFactory _grains;
    private readonly GrainType _type;
    private readonly GrainInterfaceType _interface;

    public GrainAddressing(IGrainFactory grains, string anyKey)
    {
        _grains = grains;
        var reference = (GrainReference)(object)grains.GetGrain<TGrainInterface>(anyKey);
        _type = reference.GrainId.Type;
        _interface = reference.InterfaceType;
    }

    /// <summary>The grain keyed by these UTF-8 bytes (the array is kept by the reference: do not reuse it).</summary>
    public TGrainInterface Get(byte[] utf8Key) => (TGrainInterface)_grains.GetGrain(GrainId.Create(_type, new IdSpan(utf8Key)), _interface);

    public TGrainInterface Get(string key) => Get(Encoding.UTF8.GetBytes(key));
}
