namespace SampleRepo.Billing;

// Computes invoice totals for the demo billing module.
internal sealed class InvoiceService
{
    private readonly decimal _taxRate;

    public InvoiceService(decimal taxRate)
    {
        _taxRate = taxRate;
    }

    /* Net plus tax, rounded
       to whole cents. */
    public decimal Total(decimal net)
    {
        return decimal.Round(net * (1 + _taxRate), 2);
    }

    // TODO: support discounts per customer
    public static bool IsOverdue(DateOnly due, DateOnly today)
    {
        if (today > due)
        {
            return true;
        }

        return false;
    }
}
